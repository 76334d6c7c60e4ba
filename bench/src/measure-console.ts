// Times the console on a running dashboard: every admin API endpoint a console page reads (with the admin token),
// and, when BENCH_CONSOLE_EMAIL/BENCH_CONSOLE_PASSWORD name a console user, the HTML of every console page (signed
// in as that user). K sequential calls each after a short warm-up; p50/p95/max per line. Pair it with
// seed-usage.ts to check issue 14's budget: every page under 200 ms p95 with 5M usage events.
//
//   DASHBOARD_URL=http://127.0.0.1:3000 SWITCHYARD_ADMIN_TOKEN=… npm run measure:console -w @switchyard/bench
import { performance } from 'node:perf_hooks';
import { loadMeasureConsoleEnv } from './env';
import { latencySummary } from './latency-summary';
import { signInToConsole } from './sign-in-to-console';

const env = loadMeasureConsoleEnv();

/**
 * What the console pages load, with their default windows, plus the heavier variants an operator picks.
 * `{deep}` is a cursor 25 days back and `{id}` a request id from the first page, both resolved at start;
 * `from=30d` means "30 days ago".
 */
const ENDPOINTS = [
  ['usage chart (24 h)', '/usage/hourly?hours=24'],
  ['usage events (latest 50)', '/usage/events?limit=50'],
  ['cost series (7 d by hour)', '/cost/series'],
  ['cost series (30 d by day, by team)', '/cost/series?granularity=day&groupBy=team&from=30d'],
  ['cost series (7 d by hour, by model)', '/cost/series?groupBy=model'],
  ['cost breakdown (7 d)', '/cost/breakdown'],
  ['cost breakdown (30 d, by key)', '/cost/breakdown?granularity=day&groupBy=key&from=30d'],
  ['cost CSV (7 d by hour, by key)', '/cost/export.csv?groupBy=key'],
  ['requests: first page', '/requests'],
  ['requests: team + errors', '/requests?teamId=team_seed_3&status=error'],
  ['requests: served model + class', '/requests?servedModel=gpt-4o&trafficClass=evaluation'],
  ['requests: a class with no rows', '/requests?trafficClass=agent'],
  ['requests: deep keyset page (25 d back)', '/requests?cursor={deep}'],
  ['requests: by request id', '/requests?requestId={id}'],
  ['request detail', '/requests/{id}'],
  ['keys', '/keys'],
  ['providers', '/providers'],
  ['accounts', '/accounts'],
  ['routes', '/routes'],
  ['health', '/health'],
  ['budgets', '/budgets'],
  ['prices', '/prices'],
  ['teams', '/teams'],
  ['audit log', '/audit'],
] as const;

/** Every console page, as a browser asks for it (server-rendered HTML). */
const PAGES = [
  ['/overview', '/overview'],
  ['/keys', '/keys'],
  ['/keys (search + team)', '/keys?q=seed%20key%201&team=team_seed_3'],
  ['/keys/{key} (7 d)', '/keys/key_seed_0?hours=168'],
  ['/providers', '/providers'],
  ['/providers/{provider}', '/providers/prv_seed_openai'],
  ['/routes', '/routes'],
  ['/routes/new', '/routes/new'],
  ['/health', '/health'],
  ['/usage', '/usage'],
  ['/requests', '/requests'],
  ['/requests (team + errors)', '/requests?teamId=team_seed_3&status=error'],
  ['/requests (deep page)', '/requests?cursor={deep}'],
  ['/requests/{id}', '/requests/{id}'],
  ['/dead-letters', '/dead-letters'],
  ['/cost', '/cost'],
  ['/budgets', '/budgets'],
  ['/pricing', '/pricing'],
  ['/audit', '/audit'],
  ['/teams', '/teams'],
  ['/teams/{team}', '/teams/team_seed_3'],
  ['/users', '/users'],
  ['/tokens', '/tokens'],
  ['/playground', '/playground'],
  ['/onboarding', '/onboarding'],
] as const;

interface Resolved {
  deep: string;
  id: string;
}

function resolve(path: string, values: Resolved): string {
  const thirtyDaysAgo = new Date(Date.now() - 30 * 86_400_000 + 3_600_000).toISOString();
  return path
    .replace('from=30d', `from=${encodeURIComponent(thirtyDaysAgo)}`)
    .replace('{deep}', encodeURIComponent(values.deep))
    .replace('{id}', encodeURIComponent(values.id));
}

const adminHeaders = { authorization: `Bearer ${env.SWITCHYARD_ADMIN_TOKEN}` };

async function timed(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers, redirect: 'manual' });
  const body = await response.text();
  const elapsed = performance.now() - started;
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}: ${body.slice(0, 300)}`);
  return elapsed;
}

/** Time to the first body bytes of a download, then the rest read to the end (not timed). */
async function timedFirstByte(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers });
  if (response.status !== 200 || response.body === null)
    throw new Error(`${url} answered ${response.status}`);
  const reader = response.body.getReader();
  await reader.read();
  const elapsed = performance.now() - started;
  while (!(await reader.read()).done) {}
  return elapsed;
}

async function adminJson<T>(path: string): Promise<T> {
  const response = await fetch(`${env.DASHBOARD_URL}/api/admin/v1${path}`, { headers: adminHeaders });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** A cursor 25 days back (as the API returns one) and the newest request's id. */
async function resolveValues(): Promise<Resolved> {
  type Page = { items: { requestId: string }[]; nextCursor: string | null };
  const latest = await adminJson<Page>('/requests?limit=1');
  const id = latest.items[0]?.requestId;
  const to = new Date(Date.now() - 25 * 86_400_000).toISOString();
  const deep = (await adminJson<Page>(`/requests?limit=1&to=${encodeURIComponent(to)}`)).nextCursor;
  if (id === undefined || deep === null) throw new Error('no usage events: run seed:usage first');
  return { deep, id };
}

async function measure(
  name: string,
  url: string,
  headers: Record<string, string>,
  time: typeof timed = timed,
): Promise<void> {
  for (let i = 0; i < env.MEASURE_WARMUP; i++) await time(url, headers);
  const samples: number[] = [];
  for (let i = 0; i < env.MEASURE_CALLS; i++) samples.push(await time(url, headers));
  const s = latencySummary(samples);
  console.log(`| ${name} | ${s.p50.toFixed(1)} | ${s.p95.toFixed(1)} | ${s.max.toFixed(1)} |`);
}

async function main(): Promise<void> {
  console.log(
    `${env.DASHBOARD_URL}: ${env.MEASURE_CALLS} sequential calls per line after ${env.MEASURE_WARMUP} warm-up calls`,
  );
  const values = await resolveValues();
  console.log('\n| admin API endpoint | p50 ms | p95 ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, template] of ENDPOINTS) {
    await measure(name, `${env.DASHBOARD_URL}/api/admin/v1${resolve(template, values)}`, adminHeaders);
  }
  // A download streams: what the person waits for before it starts.
  await measure(
    'cost CSV (7 d by hour, by key): first byte',
    `${env.DASHBOARD_URL}/api/admin/v1/cost/export.csv?groupBy=key`,
    adminHeaders,
    timedFirstByte,
  );
  if (env.BENCH_CONSOLE_EMAIL === undefined || env.BENCH_CONSOLE_PASSWORD === undefined) {
    console.log('\n(console pages not timed: set BENCH_CONSOLE_EMAIL and BENCH_CONSOLE_PASSWORD)');
    return;
  }
  const cookie = await signInToConsole(
    env.DASHBOARD_URL,
    env.BENCH_CONSOLE_EMAIL,
    env.BENCH_CONSOLE_PASSWORD,
  );
  console.log('\n| console page (HTML) | p50 ms | p95 ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, template] of PAGES) {
    await measure(name, `${env.DASHBOARD_URL}${resolve(template, values)}`, { cookie });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
