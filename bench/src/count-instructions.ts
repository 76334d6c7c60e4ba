// Instructions per request, counted by valgrind's callgrind: the one measure of the router's own work that load on
// the machine cannot move (the same binary, inputs and environment give the same count, whatever else runs). Starts
// a testkit stack (PostgreSQL, the mock, the bench's limits and hard budgets on the key), then the target under
// `valgrind --tool=callgrind` with counting off, warms it up, counts a window of requests and prints instructions
// per request on the request thread (and in all threads). Targets: `router` (apps/router/dist/router.js with its
// start script's flags) and `bare` (bench/src/bare-proxy.ts, the bench's floor, same flags). Slow: valgrind runs
// the target ~50× slower, so a run takes minutes.
//
//   npm run instructions -w @switchyard/bench                     # router then bare, 3,000 warm-up + 1,000 counted
//   CG_TARGETS=router CG_WARMUP=3000 CG_REQUESTS=1000 npm run instructions -w @switchyard/bench
//   CG_STREAM=1 …                                                # streamed chat completions instead
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Pool } from 'undici';
import { type CountingStack, sendChats, startTarget, stopTarget, withCountingStack } from './measured-target';

const TARGETS = (process.env.CG_TARGETS ?? 'router,bare').split(',').filter(Boolean);
const WARMUP = Number(process.env.CG_WARMUP ?? 3000);
const REQUESTS = Number(process.env.CG_REQUESTS ?? 1000);
const STREAM = process.env.CG_STREAM === '1';
const CONNECTIONS = 2;
const READY_TIMEOUT_MS = 300_000;

const log = (message: string) => console.error(`[instructions] ${message}`);

interface Counted {
  target: string;
  requestThread: number;
  allThreads: number;
  /** Instructions by thread number (1: the request thread), in the order valgrind numbered them. */
  byThread: Map<number, number>;
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) throw new Error('valgrind is not installed');
  const results = await withCountingStack(async (stack) => {
    const counted: Counted[] = [];
    for (const target of TARGETS) counted.push(await countTarget(target, stack));
    return counted;
  });
  console.log(
    `instructions per ${STREAM ? 'streamed' : 'non-stream'} chat completion (${REQUESTS} counted after ${WARMUP} warm-up, ${CONNECTIONS} connections):`,
  );
  for (const r of results) {
    console.log(
      `  ${r.target.padEnd(6)} request thread ${perRequest(r.requestThread)}, all threads ${perRequest(r.allThreads)} (by thread: ${[
        ...r.byThread,
      ]
        .filter(([, n]) => n / REQUESTS >= 1000)
        .map(([thread, n]) => `${thread}: ${perRequest(n)}`)
        .join(', ')})`,
    );
  }
}

function perRequest(instructions: number): string {
  return `${Math.round(instructions / REQUESTS / 1000)}k`;
}

async function countTarget(target: string, stack: CountingStack): Promise<Counted> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `callgrind-${target}-`));
  const valgrind = [
    'valgrind',
    '--tool=callgrind',
    '--instr-atstart=no',
    '--separate-threads=yes',
    '--smc-check=all-non-file',
    `--callgrind-out-file=${path.join(dir, 'callgrind.out.%p')}`,
  ];
  log(`${target}: starting under callgrind …`);
  let child: ChildProcess | null = null;
  try {
    const started = await startTarget(target, stack, {
      dir,
      wrapper: valgrind,
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    child = started.child;
    const pool = new Pool(started.url, { connections: CONNECTIONS });
    try {
      log(`${target}: warm-up, ${WARMUP} requests`);
      await sendChats(pool, stack.apiKey, WARMUP, { stream: STREAM, connections: CONNECTIONS });
      callgrindControl(child, '-i', 'on');
      log(`${target}: counting ${REQUESTS} requests`);
      await sendChats(pool, stack.apiKey, REQUESTS, { stream: STREAM, connections: CONNECTIONS });
      callgrindControl(child, '-d');
      callgrindControl(child, '-i', 'off');
    } finally {
      await pool.close();
    }
    return { target, ...(await readCounts(dir)) };
  } finally {
    if (child) await stopTarget(child);
    if (process.env.CG_KEEP === '1') log(`${target}: dumps kept in ${dir} (callgrind_annotate <file>)`);
    else await rm(dir, { recursive: true, force: true });
  }
}

function callgrindControl(child: ChildProcess, ...args: string[]): void {
  const result = spawnSync('callgrind_control', [...args, String(child.pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`callgrind_control ${args.join(' ')}: ${result.stderr}`);
}

/** Sums the `summary:`/`totals:` lines of the dump: thread 1 is the request thread. */
async function readCounts(dir: string): Promise<Omit<Counted, 'target'>> {
  let requestThread = 0;
  let allThreads = 0;
  const byThread = new Map<number, number>();
  for (const name of await readdir(dir)) {
    if (!/^callgrind\.out\.\d+\.\d+-\d+$/.test(name)) continue; // <pid>.<dump>-<thread>
    const text = await readFile(path.join(dir, name), 'utf8');
    const total = Number(text.match(/^(?:summary|totals): (\d+)/m)?.[1] ?? 0);
    allThreads += total;
    const thread = Number(name.slice(name.lastIndexOf('-') + 1));
    byThread.set(thread, (byThread.get(thread) ?? 0) + total);
    if (thread === 1) requestThread += total;
  }
  if (requestThread === 0) throw new Error(`no callgrind dump of thread 1 in ${dir}`);
  return { requestThread, allThreads, byThread: new Map([...byThread].sort((a, b) => a[0] - b[0])) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
