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

/**
 * The probe, run in a process of its own so the test's own work (an SDK parsing a fast stream) cannot delay
 * it: GET /healthz back to back on one keep-alive connection, each call timed, until told to stop.
 */
const PROBE = `
const { Agent, request } = require(${JSON.stringify(require.resolve('undici'))});
const agent = new Agent({ connections: 1 });
const url = process.argv[1] + '/healthz';
const times = [];
let failures = 0;
let stopped = false;
process.on('message', () => { stopped = true; });
(async () => {
  await request(url, { dispatcher: agent }).then((res) => res.body.text());
  process.send({ ready: true });
  while (!stopped) {
    const started = performance.now();
    try {
      const res = await request(url, { dispatcher: agent });
      await res.body.text();
      if (res.statusCode !== 200) failures++;
    } catch {
      failures++;
    }
    times.push(performance.now() - started);
  }
  process.send({ times, failures }, () => process.exit(0));
})();
`;

/**
 * Samples GET /healthz from another process (see PROBE) until `stop`: the router's responsiveness while
 * something hostile runs beside it. Resolves once the probe is connected and warmed up.
 */
export async function sampleHealthz(
  routerUrl: string,
): Promise<{ stop: () => Promise<HealthzSamples>; peek: () => Promise<number> }> {
  const child = spawn(process.execPath, ['-e', PROBE, routerUrl], {
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
      child.once('exit', (code) => reject(new Error(`healthz probe exited with ${code}`)));
      check();
    });
  await next(); // ready
  let summary: Promise<HealthzSamples> | null = null;
  const finish = async (): Promise<HealthzSamples> => {
    child.send('stop');
    const { times, failures } = (await next()) as { times: number[]; failures: number };
    const sorted = [...times].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    return {
      count: sorted.length,
      slowest: sorted.slice(-5).map(Math.round),
      p99: at(0.99),
      max: sorted.at(-1) ?? 0,
      failures,
    };
  };
  const started = performance.now();
  // Idempotent: a test may stop it in a finally block after reading it.
  return {
    stop: () => (summary ??= finish()),
    /** ms since the probe was ready. */
    peek: async () => performance.now() - started,
  };
}
