// Fills a database with N usage events (default 5,000,000) spread over the last 30 days, and the matching hourly
// and daily rollups, so the console's chart endpoints can be timed at a realistic size (bench/src/measure-console.ts).
//
//   DATABASE_URL=postgresql://… npm run seed:usage -w @switchyard/bench        # fill that database
//   npm run seed:usage -w @switchyard/bench                                     # a new throwaway database
//
// Events are generated in SQL (generate_series), never shipped from Node: each chunk is one statement that inserts
// its events and folds exactly those events into both rollup tables (data-modifying CTEs) with the router's own
// fold (usageRollupUpsertSql). Keys, teams and providers exist as rows so the console shows their names.
import { performance } from 'node:perf_hooks';
import {
  applyMigrations,
  createPrismaClient,
  hashPassword,
  newId,
  usageRollupUpsertSql,
} from '@switchyard/db';
import { createTestDatabase } from '@switchyard/db/testing';
import { loadSeedUsageEnv } from './env';

const MODELS = [
  ['gpt-4o', 'openai', 2_500_000, 10_000_000],
  ['gpt-4o-mini', 'openai', 150_000, 600_000],
  ['claude-sonnet-4-5', 'anthropic', 3_000_000, 15_000_000],
  ['claude-haiku-4-5', 'anthropic', 1_000_000, 5_000_000],
  ['gemini-2.5-flash', 'google', 300_000, 2_500_000],
  ['deepseek-chat', 'deepseek', 280_000, 420_000],
] as const;
const PROVIDERS = ['openai', 'anthropic', 'google', 'deepseek'] as const;
const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

const env = loadSeedUsageEnv();

async function main(): Promise<void> {
  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl === undefined) {
    const database = await createTestDatabase(env.TEST_DATABASE_URL);
    databaseUrl = database.databaseUrl;
    console.log(`created throwaway database (drop it when done): ${databaseUrl}`);
  } else {
    await applyMigrations(databaseUrl);
  }
  const prisma = createPrismaClient(databaseUrl, { maxConnections: 2 });
  try {
    await seedDimensions(prisma);
    await seedConsoleUser(prisma);
    await seedEvents(prisma);
    const [counts] = await prisma.$queryRawUnsafe<{ events: bigint; hourly: bigint; daily: bigint }[]>(
      `SELECT (SELECT count(*) FROM usage_events) AS events,
              (SELECT count(*) FROM usage_rollups_hourly) AS hourly,
              (SELECT count(*) FROM usage_rollups_daily) AS daily`,
    );
    console.log(
      `done: ${counts?.events} usage events, ${counts?.hourly} hourly and ${counts?.daily} daily rollup rows`,
    );
    console.log(`DATABASE_URL=${databaseUrl}`);
  } finally {
    await prisma.$disconnect();
  }
}

type Prisma = ReturnType<typeof createPrismaClient>;

/** Teams, keys (assigned round-robin to teams and environments) and one provider per vendor. */
async function seedDimensions(prisma: Prisma): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO teams (id, name) SELECT 'team_seed_' || t, 'seed team ' || t FROM generate_series(0, $1::int - 1) t
     ON CONFLICT DO NOTHING`,
    env.SEED_TEAMS,
  );
  await prisma.$executeRawUnsafe(
    `INSERT INTO api_keys (id, name, digest, prefix, team_id, environment)
     SELECT 'key_seed_' || k, 'seed key ' || k, md5('seed-key-' || k), 'sk-sy-seed',
            'team_seed_' || (k % $2::int), ($3::text[])[1 + k % 3]::"KeyEnvironment"
     FROM generate_series(0, $1::int - 1) k
     ON CONFLICT DO NOTHING`,
    env.SEED_KEYS,
    env.SEED_TEAMS,
    ENVIRONMENTS,
  );
  for (const vendor of PROVIDERS) {
    await prisma.$executeRawUnsafe(
      `INSERT INTO providers (id, name, kind, base_url) VALUES ($1, $2, 'openai_compatible', 'https://example.invalid/v1')
       ON CONFLICT DO NOTHING`,
      `prv_seed_${vendor}`,
      `seed-${vendor}`,
    );
  }
}

/** The console user measure-console signs in as, when BENCH_CONSOLE_EMAIL and BENCH_CONSOLE_PASSWORD are set. */
async function seedConsoleUser(prisma: Prisma): Promise<void> {
  if (env.BENCH_CONSOLE_EMAIL === undefined || env.BENCH_CONSOLE_PASSWORD === undefined) return;
  await prisma.user.upsert({
    where: { email: env.BENCH_CONSOLE_EMAIL },
    create: {
      id: newId('usr'),
      email: env.BENCH_CONSOLE_EMAIL,
      name: 'Bench',
      passwordHash: await hashPassword(env.BENCH_CONSOLE_PASSWORD),
      role: 'owner',
    },
    update: {},
  });
}

/**
 * One chunk: events [first, last] of N, created_at spread evenly over the window. Traffic is skewed as a real
 * gateway's is: key k = floor(keys · u³) for a uniform u, so a few keys carry most requests; each key uses two
 * models; 2% errors, 1% rejected (no traffic class: refused before it was read); every fourth request streams;
 * every tenth speaks the Anthropic surface; keys are 70% interactive, 20% background, 10% evaluation.
 */
const CHUNK_SQL = `
WITH params AS (
  SELECT $3::timestamptz AS start_at, $4::float8 AS window_s, $5::bigint AS total,
         $6::int AS keys, $7::int AS teams, $8::text[] AS models, $9::text[] AS vendors,
         $10::int8[] AS input_price, $11::int8[] AS output_price, $12::text[] AS envs
), gen AS (
  SELECT g,
         floor(p.keys * power(((g * 2654435761) % 4294967296)::float8 / 4294967296, 3))::int AS k,
         (g * 40503) % 100 AS roll,
         50 + (g * 7919) % 1950 AS input_tokens,
         10 + (g * 104729) % 790 AS output_tokens,
         p.*
  FROM generate_series($1::bigint, $2::bigint) g, params p
), rows AS (
  SELECT g, k, roll, input_tokens, output_tokens, start_at, window_s, total, teams, envs,
         1 + (k * 7 + (g % 2)::int) % array_length(models, 1) AS m, models, vendors, input_price, output_price
  FROM gen
), inserted AS (
  INSERT INTO usage_events (request_id, key_id, team_id, environment, requested_model, served_provider_id,
    served_account_id, served_model, status, error_class, http_status, latency_ms, ttft_ms, input_tokens,
    output_tokens, cached_input_tokens, cost_micros, stream, tags, surface, upstream_protocol, traffic_class,
    created_at)
  SELECT 'req_seed_' || g, 'key_seed_' || k, 'team_seed_' || (k % teams), envs[1 + k % 3], models[m],
         'prv_seed_' || vendors[m], 'acc_seed_' || vendors[m], models[m],
         (CASE WHEN roll < 2 THEN 'error' WHEN roll = 2 THEN 'rejected' ELSE 'success' END)::"UsageStatus",
         CASE WHEN roll < 2 THEN 'upstream_5xx' WHEN roll = 2 THEN 'budget_exceeded' END,
         CASE WHEN roll < 2 THEN 502 WHEN roll = 2 THEN 429 ELSE 200 END,
         120 + (g * 31) % 1900, CASE WHEN roll > 2 THEN 80 + (g * 17) % 400 END,
         CASE WHEN roll > 2 THEN input_tokens ELSE 0 END,
         CASE WHEN roll > 2 THEN output_tokens ELSE 0 END,
         CASE WHEN roll > 2 AND g % 5 = 0 THEN input_tokens / 2 ELSE 0 END,
         CASE WHEN roll > 2
              THEN (input_tokens * input_price[m] + output_tokens * output_price[m] + 500000) / 1000000
              ELSE 0 END,
         g % 4 = 0,
         CASE WHEN k % 3 = 0 THEN ARRAY['web'] WHEN k % 3 = 1 THEN ARRAY['batch', 'eval'] ELSE ARRAY[]::text[] END,
         CASE WHEN g % 10 = 0 THEN 'anthropic-messages' ELSE 'openai-chat' END,
         CASE WHEN roll < 3 THEN NULL WHEN vendors[m] = 'anthropic' THEN 'anthropic-messages' ELSE 'openai-chat' END,
         CASE WHEN roll = 2 THEN NULL WHEN k % 10 < 7 THEN 'interactive' WHEN k % 10 < 9 THEN 'background'
              ELSE 'evaluation' END,
         start_at + make_interval(secs => window_s * g / total)
  FROM rows
  RETURNING *
), hourly AS (
${usageRollupUpsertSql('usage_rollups_hourly', 'hour')}
)
${usageRollupUpsertSql('usage_rollups_daily', 'day')}`;

async function seedEvents(prisma: Prisma): Promise<void> {
  const total = env.SEED_EVENTS;
  const windowS = env.SEED_DAYS * 86_400;
  const startAt = new Date(Date.now() - windowS * 1000);
  const started = performance.now();
  for (let first = 0; first < total; first += env.SEED_CHUNK) {
    const last = Math.min(total, first + env.SEED_CHUNK) - 1;
    await prisma.$executeRawUnsafe(
      CHUNK_SQL,
      first,
      last,
      startAt,
      windowS,
      total,
      env.SEED_KEYS,
      env.SEED_TEAMS,
      MODELS.map(([model]) => model),
      MODELS.map(([, vendor]) => vendor),
      MODELS.map(([, , input]) => input),
      MODELS.map(([, , , output]) => output),
      ENVIRONMENTS,
    );
    const done = last + 1;
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} events (${Math.round(done / seconds).toLocaleString('en-US')}/s, ${seconds.toFixed(0)} s)`,
    );
  }
  // VACUUM, not only ANALYZE: it sets the visibility map, as autovacuum does on a live insert-only table. Without
  // it (autovacuum is off on test servers) every index-only scan visits the heap: a busy key's failures per error
  // class took 197 ms (7,605 buffers) instead of 12 ms (115), and the key's page measured 230 ms p95.
  await prisma.$executeRawUnsafe('VACUUM (ANALYZE) usage_events, usage_rollups_hourly, usage_rollups_daily');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
