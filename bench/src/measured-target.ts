// What the bench's counting tools (count-instructions.ts, count-allocations.ts) share: a testkit stack seeded like
// the bench's (limits and hard budgets on the key that never refuse), the two targets started as the bench starts
// them (the router from its start script's flags, the bare proxy with the same flags), and the chat completions
// they count.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { digestApiKey } from '@switchyard/db';
import { startTestPostgres } from '@switchyard/db/testing';
import {
  buildRuntime,
  createUnreachableTeamAndBudgets,
  ROOT,
  routerNodeFlags,
  startStack,
  UNREACHABLE_LIMITS,
  waitFor,
} from '@switchyard/testkit';
import type { Pool } from 'undici';

export type CountingStack = Awaited<ReturnType<typeof startStack>>;

/** The router's periodic work pushed out of a counted window; usage still flushes every 200 ms (its default). */
const QUIET_PERIODS = {
  SNAPSHOT_REFRESH_MS: '600000',
  HEALTH_REPORT_MS: '600000',
  BUDGET_REPORT_MS: '600000',
  BUDGET_WEBHOOK_POLL_MS: '600000',
  USAGE_FLUSH_MS: '200',
};

/** Runs `measure` against a fresh stack whose key carries the bench's limits and budgets; stops it all after. */
export async function withCountingStack<T>(measure: (stack: CountingStack) => Promise<T>): Promise<T> {
  const pg = await startTestPostgres();
  buildRuntime();
  const stack = await startStack(pg.serverUrl, { USAGE_FLUSH_MS: '200' });
  try {
    const key = await stack.prisma.apiKey.findUniqueOrThrow({
      where: { digest: digestApiKey(stack.apiKey) },
    });
    const { teamId } = await createUnreachableTeamAndBudgets(stack.prisma, key.id, 'counting');
    await stack.prisma.apiKey.update({ where: { id: key.id }, data: { teamId, ...UNREACHABLE_LIMITS } });
    return await measure(stack);
  } finally {
    await stack.stop();
    await pg.stop();
  }
}

/** A target process started for counting, its output so far, and where it listens once ready. */
export interface TargetProcess {
  child: ChildProcess;
  output: () => string;
  url: string;
}

/**
 * Starts `target` ('router' or 'bare') with the router's node flags plus `extraFlags`, behind `wrapper` (e.g.
 * valgrind and its options) if given, and waits until it listens. `dir` takes the router's usage spill.
 */
export async function startTarget(
  target: string,
  stack: CountingStack,
  options: {
    dir: string;
    wrapper?: string[];
    extraFlags?: string[];
    env?: NodeJS.ProcessEnv;
    readyTimeoutMs: number;
  },
): Promise<TargetProcess> {
  const flags = [...routerNodeFlags(), ...(options.extraFlags ?? [])];
  const entry =
    target === 'router'
      ? [path.join(ROOT, 'apps/router/dist/router.js')]
      : ['--import', 'tsx', path.join(ROOT, 'bench/src/bare-proxy.ts')];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    ...(target === 'router'
      ? {
          DATABASE_URL: stack.databaseUrl,
          SWITCHYARD_MASTER_KEY: stack.masterKey,
          ROUTER_HOST: '127.0.0.1',
          ROUTER_PORT: '0',
          USAGE_SPILL_DIR: options.dir,
          ...QUIET_PERIODS,
        }
      : { UPSTREAM: stack.mockUrl, PORT: '0' }),
  };
  const [command, ...args] = [...(options.wrapper ?? []), process.execPath, ...flags, ...entry] as [
    string,
    ...string[],
  ];
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  try {
    const ready = target === 'router' ? /config snapshot ready/ : /listening on (http:\/\/\S+)/;
    await waitFor(`${target} to be ready`, async () => ready.test(output), {
      timeoutMs: options.readyTimeoutMs,
      intervalMs: 200,
    });
  } catch (error) {
    await stopTarget(child);
    throw error;
  }
  const url =
    target === 'router'
      ? (output.match(/"url":"(http:\/\/[^"]+)"/)?.[1] as string)
      : (output.match(/listening on (http:\/\/\S+)/)?.[1] as string);
  return { child, output: () => output, url: new URL(url).origin };
}

/** Sends `count` chat completions (streamed if `stream`) over the pool's connections; throws on a non-200. */
export async function sendChats(
  pool: Pool,
  apiKey: string,
  count: number,
  options: { stream: boolean; connections: number },
): Promise<void> {
  const body = JSON.stringify({
    model: 'chat-small',
    messages: [{ role: 'user', content: 'Say hello in five words.' }],
    ...(options.stream ? { stream: true } : {}),
  });
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next++;
      const response = await pool.request({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body,
      });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200) throw new Error(`answer ${response.statusCode}`);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, lane));
}

export async function stopTarget(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
