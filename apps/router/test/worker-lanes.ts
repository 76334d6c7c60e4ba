import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { Client, fetch as undiciFetch } from 'undici';

/** One kept-alive connection to a router: with ROUTER_WORKERS, every request on it reaches the same worker. */
export interface WorkerLane {
  /** The pid and slot of the worker this connection reached (from GET /healthz on it). */
  pid: number;
  worker: number | null;
  /** GET /healthz on this connection again: still the same worker? */
  whoAnswers(): Promise<{ pid: number; worker: number | null }>;
  /** GET `path` on this connection. */
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; text: string }>;
  /** The official SDK over this connection. */
  client(apiKey: string): OpenAI;
  close(): Promise<void>;
}

async function openLane(routerUrl: string): Promise<WorkerLane> {
  const connection = new Client(routerUrl, { pipelining: 1 });
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const res = await connection.request({ method: 'GET', path, headers });
    return { status: res.statusCode, text: await res.body.text() };
  };
  const whoAnswers = async () =>
    JSON.parse((await get('/healthz')).text) as { pid: number; worker: number | null };
  const first = await whoAnswers();
  return {
    ...first,
    whoAnswers,
    get,
    client: (apiKey) =>
      new OpenAI({
        apiKey,
        baseURL: `${routerUrl}/v1`,
        maxRetries: 0,
        fetch: ((url: string, init: RequestInit) =>
          undiciFetch(url, { ...(init as object), dispatcher: connection })) as unknown as typeof fetch,
      }),
    close: () => connection.close(),
  };
}

/**
 * One connection to each of `workers` distinct router workers: node:cluster hands new connections to its workers
 * in turn, so opening a few finds them all. Connections that landed on an already covered worker are closed.
 */
export async function laneToEachWorker(
  routerUrl: string,
  workers: number,
  tries = 12,
): Promise<WorkerLane[]> {
  const byPid = new Map<number, WorkerLane>();
  for (let i = 0; i < tries && byPid.size < workers; i++) {
    const lane = await openLane(routerUrl);
    if (byPid.has(lane.pid)) await lane.close();
    else byPid.set(lane.pid, lane);
  }
  if (byPid.size < workers)
    throw new Error(`found ${byPid.size} router workers in ${tries} connections, expected ${workers}`);
  return [...byPid.values()];
}

/** The parent pid of `pid` (Linux /proc), to show a worker is the primary's child. */
export async function parentPid(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (in parentheses, which may hold spaces): state, then ppid.
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** Whether `pid` is a live process (a zombie waiting to be reaped is not). */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
  } catch {
    return false;
  }
}
