// Bytes allocated on the JavaScript heap per request, and by which functions: what sets how often the young
// generation fills (a scavenge pause every semi-space's worth) and so how many requests meet a GC. Starts the same
// stack and targets as count-instructions.ts (router from its start script's flags, the bare proxy with the same
// flags), warms each up, then samples every allocation of a window of requests with V8's sampling heap profiler
// (objects that die young included; see heap-sampling-preload.cjs) and prints bytes per request, GCs in the
// window, and the functions that allocate most (self bytes per request; router files are dist chunks, names hold).
// Sampled, so figures move by a few percent between runs; wall time does not matter (fast, unlike callgrind).
//
//   npm run allocations -w @switchyard/bench                        # router then bare, 3,000 warm-up + 10,000
//   AL_TARGETS=router AL_REQUESTS=20000 AL_TOP=40 npm run allocations -w @switchyard/bench
//   AL_STREAM=1 …                                                   # streamed chat completions instead
//   AL_KEEP=1 …                                                     # keep the .heapprofile (Chrome DevTools)
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ROOT, waitFor } from '@switchyard/testkit';
import { Pool } from 'undici';
import { type CountingStack, sendChats, startTarget, stopTarget, withCountingStack } from './measured-target';

const TARGETS = (process.env.AL_TARGETS ?? 'router,bare').split(',').filter(Boolean);
const WARMUP = Number(process.env.AL_WARMUP ?? 3000);
const REQUESTS = Number(process.env.AL_REQUESTS ?? 10_000);
const TOP = Number(process.env.AL_TOP ?? 25);
const STREAM = process.env.AL_STREAM === '1';
const CONNECTIONS = 2;

const log = (message: string) => console.error(`[allocations] ${message}`);

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}
interface Sampled {
  profile: { head: ProfileNode };
  gcs: { minor: number; major: number; other: number; pauseMs: number };
}
interface Counted {
  target: string;
  bytes: number;
  gcs: Sampled['gcs'];
  top: [string, number][];
}

async function main(): Promise<void> {
  const results = await withCountingStack(async (stack) => {
    const counted: Counted[] = [];
    for (const target of TARGETS) counted.push(await countTarget(target, stack));
    return counted;
  });
  console.log(
    `JavaScript heap allocated per ${STREAM ? 'streamed' : 'non-stream'} chat completion (${REQUESTS} sampled after ${WARMUP} warm-up, ${CONNECTIONS} connections):`,
  );
  for (const r of results) {
    const per = (n: number) => n / REQUESTS;
    console.log(
      `  ${r.target.padEnd(6)} ${(per(r.bytes) / 1024).toFixed(1)} KiB/request; in the window ${r.gcs.minor} scavenges, ${r.gcs.major} mark-compacts, ${r.gcs.pauseMs.toFixed(0)} ms of GC pauses (${((r.gcs.pauseMs * 1000) / REQUESTS).toFixed(1)} µs/request)`,
    );
    for (const [where, bytes] of r.top) console.log(`      ${per(bytes).toFixed(0).padStart(6)} B  ${where}`);
  }
}

async function countTarget(target: string, stack: CountingStack): Promise<Counted> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `allocations-${target}-`));
  const out = path.join(dir, 'sampled.json');
  log(`${target}: starting …`);
  const started = await startTarget(target, stack, {
    dir,
    extraFlags: ['--require', path.join(ROOT, 'bench/src/heap-sampling-preload.cjs')],
    env: { HEAP_SAMPLING_OUT: out },
    readyTimeoutMs: 60_000,
  });
  const pool = new Pool(started.url, { connections: CONNECTIONS });
  try {
    log(`${target}: warm-up, ${WARMUP} requests`);
    await sendChats(pool, stack.apiKey, WARMUP, { stream: STREAM, connections: CONNECTIONS });
    started.child.kill('SIGUSR2');
    // Generous: on a loaded 2-core host the profile of 10,000 requests took longer than waitFor's default 5 s.
    const slow = { timeoutMs: 60_000 };
    await waitFor(
      'heap sampling to start',
      async () => started.output().includes('heap sampling started'),
      slow,
    );
    log(`${target}: sampling ${REQUESTS} requests`);
    await sendChats(pool, stack.apiKey, REQUESTS, { stream: STREAM, connections: CONNECTIONS });
    started.child.kill('SIGUSR2');
    await waitFor(
      'heap profile to be written',
      async () => started.output().includes('heap sampling written'),
      slow,
    );
    const sampled = JSON.parse(await readFile(out, 'utf8')) as Sampled;
    if (process.env.AL_KEEP === '1') {
      const kept = path.join(os.tmpdir(), `allocations-${target}-${Date.now()}.heapprofile`);
      await writeFile(kept, JSON.stringify(sampled.profile));
      log(`${target}: profile kept in ${kept}`);
    }
    return { target, ...summarize(sampled) };
  } finally {
    await pool.close();
    await stopTarget(started.child);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Total sampled bytes and the functions that allocate most (self bytes), over the whole call tree. */
function summarize(sampled: Sampled): Omit<Counted, 'target'> {
  const bySelf = new Map<string, number>();
  let bytes = 0;
  const walk = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${functionName || '(anonymous)'} ${url.split('/').at(-1) ?? ''}:${lineNumber + 1}`;
    bySelf.set(where, (bySelf.get(where) ?? 0) + node.selfSize);
    bytes += node.selfSize;
    for (const child of node.children) walk(child);
  };
  walk(sampled.profile.head);
  const top = [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, TOP);
  return { bytes, gcs: sampled.gcs, top };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
