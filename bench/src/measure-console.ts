// Times the console's chart endpoints on a running dashboard: K sequential calls each (after a short warm-up),
// p50/p95/max per endpoint. Pair it with seed-usage.ts to check the issue-4 budget (p95 ≤ 300 ms at 5M events).
//
//   DASHBOARD_URL=http://127.0.0.1:3000 SWITCHYARD_ADMIN_TOKEN=… npm run measure:console -w @switchyard/bench
import { performance } from 'node:perf_hooks';
import { loadMeasureConsoleEnv } from './env';
import { latencySummary } from './latency-summary';

const env = loadMeasureConsoleEnv();

/** What the Usage and Cost pages load, with their default windows, plus the heavier variants an operator picks. */
const ENDPOINTS = [
  ['usage chart (24 h)', '/usage/hourly?hours=24'],
  ['cost series (7 d by hour)', '/cost/series'],
  ['cost series (30 d by day, by team)', '/cost/series?granularity=day&groupBy=team&from=30d'],
  ['cost series (7 d by hour, by model)', '/cost/series?groupBy=model'],
  ['cost breakdown (7 d)', '/cost/breakdown'],
  ['cost breakdown (30 d, by key)', '/cost/breakdown?granularity=day&groupBy=key&from=30d'],
  ['cost CSV (7 d by hour, by key)', '/cost/export.csv?groupBy=key'],
] as const;

/** `from=30d` in the table above means "30 days ago", resolved when the run starts. */
function resolve(path: string): string {
  const thirtyDaysAgo = new Date(Date.now() - 30 * 86_400_000 + 3_600_000).toISOString();
  return path.replace('from=30d', `from=${encodeURIComponent(thirtyDaysAgo)}`);
}

async function call(path: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${env.DASHBOARD_URL}/api/admin/v1${path}`, {
    headers: { authorization: `Bearer ${env.SWITCHYARD_ADMIN_TOKEN}` },
  });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 300)}`);
  return elapsed;
}

async function main(): Promise<void> {
  console.log(
    `${env.DASHBOARD_URL}: ${env.MEASURE_CALLS} sequential calls per endpoint after ${env.MEASURE_WARMUP} warm-up calls`,
  );
  console.log('| endpoint | p50 ms | p95 ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, template] of ENDPOINTS) {
    const path = resolve(template);
    for (let i = 0; i < env.MEASURE_WARMUP; i++) await call(path);
    const samples: number[] = [];
    for (let i = 0; i < env.MEASURE_CALLS; i++) samples.push(await call(path));
    const s = latencySummary(samples);
    console.log(`| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
