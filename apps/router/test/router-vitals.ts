import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS, reported in kB). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** The peak RSS of `pid` seen by sampling it on a timer until `stop`. */
export function watchRss(pid: number): { stop: () => number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // The process ended; the peak so far stands.
    }
  }, 20);
  return {
    stop: () => {
      clearInterval(timer);
      try {
        peak = Math.max(peak, rssBytes(pid));
      } catch {}
      return peak;
    },
  };
}

export interface HealthzSamples {
  count: number;
  /** The five slowest calls, ms. */
  slowest: number[];
  p99: number;
  max: number;
  /** Responses that were not 200 (or failed). */
  failures: number;
}

/** Calls the probe makes of each target at least (see PROBE). */
export const MIN_SAMPLES = 5;

/**
 * The probe, run in a process of its own so the test's own work (an SDK parsing a fast stream) cannot delay
 * it: GET /healthz on the router, then the same on a control server, back to back (one keep-alive
 * connection each), each call timed, until told to stop — and, if it has fewer than MIN_SAMPLES calls of each by
 * then, until it has them: a check of the count then cannot fail because the watched work was quick. The calls
 * after the stop can only be fast ones (the work is over), and under 100 samples p99 is the slowest, so a slow
 * call while the work ran still fails the bound.
 */
const PROBE = `
const { Agent, request } = require(${JSON.stringify(require.resolve('undici'))});
const [routerUrl, controlUrl] = process.argv.slice(1);
const targets = [routerUrl, controlUrl].map((base) => ({
  url: base + '/healthz',
  agent: new Agent({ connections: 1 }),
  times: [],
  failures: 0,
}));
let stopped = false;
process.on('message', () => { stopped = true; });
const enough = () => targets.every((t) => t.times.length >= ${MIN_SAMPLES});
process.on('disconnect', () => process.exit(0)); // the test process is gone: do not outlive it
(async () => {
  for (const t of targets) await request(t.url, { dispatcher: t.agent }).then((res) => res.body.text());
  process.send({ ready: true });
  while (!stopped || !enough()) {
    for (const t of targets) {
      const started = performance.now();
      try {
        const res = await request(t.url, { dispatcher: t.agent });
        await res.body.text();
        if (res.statusCode !== 200) t.failures++;
      } catch {
        t.failures++;
      }
      t.times.push(performance.now() - started);
    }
  }
  process.send(targets.map((t) => ({ times: t.times, failures: t.failures })), () => process.exit(0));
})();
`;

/** A bare node:http server answering /healthz, in its own process: what this machine's load alone costs. */
const CONTROL = `
const server = require('node:http').createServer((req, res) => res.end('{"status":"ok"}'));
server.listen(0, '127.0.0.1', () => process.send(server.address().port));
process.on('disconnect', () => process.exit(0));
`;

/** The bound on /healthz p99 while something hostile runs. */
export const HEALTHZ_P99_MS = 50;

export interface HealthzReading {
  router: HealthzSamples;
  /** The same probe against an idle control server at the same time. */
  control: HealthzSamples;
  /**
   * The p99 the router is held to: 50 ms over twice the idle control server's p99 (a bigger process is
   * descheduled longer on a loaded machine than the bare control). On a quiet machine the control measures a
   * few ms, so this is ~55 ms; the stalls this guards against were 0.7–4 s.
   */
  limit: number;
}

/** Spawns `node -e code args…` with an IPC channel; resolves with the child and a reader of its messages. */
function spawnWithIpc(code: string, args: string[]) {
  const child = spawn(process.execPath, ['-e', code, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const messages: unknown[] = [];
  let notify: (() => void) | null = null;
  child.on('message', (message) => {
    messages.push(message);
    notify?.();
  });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const check = () => {
        const message = messages.shift();
        if (message !== undefined) resolve(message);
        else notify = check;
      };
      child.once('exit', (code) => reject(new Error(`probe process exited with ${code}`)));
      check();
    });
  return { child, next };
}

function summarize(times: number[], failures: number): HealthzSamples {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    slowest: sorted.slice(-5).map(Math.round),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    failures,
  };
}

/**
 * Samples GET /healthz of the router, and of an idle control server as a measure of the machine's own load,
 * from another process (see PROBE) until `stop`. Resolves once the probe is connected and warmed up. `floorMs`
 * is the bound's floor (see {@link HealthzReading.limit}).
 */
export async function sampleHealthz(
  routerUrl: string,
  floorMs = HEALTHZ_P99_MS,
): Promise<{ stop: () => Promise<HealthzReading> }> {
  const control = spawnWithIpc(CONTROL, []);
  const port = (await control.next()) as number;
  const probe = spawnWithIpc(PROBE, [routerUrl, `http://127.0.0.1:${port}`]);
  await probe.next(); // ready
  let summary: Promise<HealthzReading> | null = null;
  const finish = async (): Promise<HealthzReading> => {
    probe.child.send('stop');
    const [router, idle] = (await probe.next()) as { times: number[]; failures: number }[];
    control.child.kill();
    const reading = {
      router: summarize(router?.times ?? [], router?.failures ?? 0),
      control: summarize(idle?.times ?? [], idle?.failures ?? 0),
    };
    return { ...reading, limit: Math.max(floorMs, 2 * reading.control.p99 + floorMs) };
  };
  // Idempotent: a test may stop it in a finally block after reading it.
  return { stop: () => (summary ??= finish()) };
}
