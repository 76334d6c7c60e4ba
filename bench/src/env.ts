import { z } from 'zod';

const seconds = z.coerce.number().positive();

/** The measured runs of a bench, in the order they run (BENCH_PARTS). */
export const BENCH_PARTS = [
  'rates',
  'floor',
  'tiered',
  'translated',
  'stream',
  'max',
  'tracing',
  'workers',
] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];
/** Where the bench's processes run (BENCH_LAYOUTS); see docs/benchmarks.md "What runs". */
export const BENCH_LAYOUTS = ['default', 'client-alone', 'router-alone'] as const;
export type BenchLayout = (typeof BENCH_LAYOUTS)[number];
const count = z.coerce.number().int().positive();
const flag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .default('0')
  .transform((value) => value === '1' || value === 'true' || value === 'yes');

const schema = z.object({
  /** Seconds of each fixed-rate run (once direct, once through the router, per rate). */
  BENCH_DURATION_S: seconds.default(20),
  /** The fixed rates, req/s, comma-separated. The latency budget is judged at 500. */
  BENCH_RATES: z
    .string()
    .default('500,1000')
    .transform((value, ctx) => {
      const rates = value.split(',').map((part) => Number(part.trim()));
      if (rates.length === 0 || rates.some((rate) => !Number.isInteger(rate) || rate <= 0)) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected positive integers separated by commas, e.g. 500,1000',
        });
        return z.NEVER;
      }
      return rates;
    }),
  /**
   * Each run is cut into this many slices, direct and router alternating (D R, R D, …), so that noise
   * from the rest of the machine falls on both sides alike.
   */
  BENCH_SLICES: count.default(4),
  /** Keep-alive connections the fixed-rate generator may open (an open-loop pool, not a concurrency level). */
  BENCH_RATE_CONNECTIONS: count.default(64),
  /** Seconds and connections of the closed-loop (max throughput) runs. */
  BENCH_MAX_DURATION_S: seconds.default(15),
  BENCH_MAX_CONNECTIONS: count.default(64),
  /** Closed-loop generator: autocannon (always there), wrk (Debian's `wrk`), or auto = wrk when on PATH. */
  BENCH_MAX_TOOL: z.enum(['auto', 'autocannon', 'wrk']).default('auto'),
  /**
   * Seconds of warm-up per target before anything is measured (JIT, connection pools, snapshot). 15 s at the
   * highest rate is ~15,000 requests: with `--trace-opt`, a router still had 17 functions optimized (and 2 deopts)
   * in its requests 5,000–10,000, 2 in 10,000–15,000; the bare proxy 7 in 5,000–10,000. 5 s (the old default)
   * measured those compiles, on the same 2 cores, inside the slices.
   */
  BENCH_WARMUP_S: seconds.default(15),
  /** Rate and seconds of the streaming time-to-first-byte runs. */
  BENCH_TTFB_RATE: count.default(50),
  BENCH_TTFB_DURATION_S: seconds.default(10),
  /**
   * Where processes run, comma-separated; the first is the layout every part runs in, each further one runs the
   * `rates` part again and adds its lines. `default` = what a user's machine runs (`npm start`): nothing pinned,
   * PostgreSQL on the same host at normal priority — issue 15's goals are judged in it. `client-alone` (taskset)
   * gives the load generator (with this process and PostgreSQL, at idle priority) CPUs of its own and puts the
   * router and the mock on CPU 0; `router-alone` gives the router CPU 0 alone and the mock the client's CPUs.
   */
  BENCH_LAYOUTS: z
    .string()
    .default('default')
    .transform((value, ctx) => {
      const layouts = value.split(',').map((part) => part.trim());
      const unknown = layouts.filter((layout) => !(BENCH_LAYOUTS as readonly string[]).includes(layout));
      if (unknown.length > 0 || new Set(layouts).size !== layouts.length) {
        ctx.addIssue({
          code: 'custom',
          message: `expected distinct layouts out of ${BENCH_LAYOUTS.join(',')}, e.g. default,client-alone`,
        });
        return z.NEVER;
      }
      return layouts as BenchLayout[];
    }),
  /**
   * The young-generation trade-off: for each `--max-semi-space-size` (MiB, comma-separated, e.g. 1,4,16,64) a
   * router started with that value in place of its start script's runs the `rates` part once; one table of RSS
   * (start, peak) against Δp50/Δp99 per value. Empty (the default): not run.
   */
  BENCH_SEMI_SPACES: z
    .string()
    .default('')
    .transform((value, ctx) => {
      if (value.trim() === '') return [];
      const sizes = value.split(',').map((part) => Number(part.trim()));
      if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
        ctx.addIssue({
          code: 'custom',
          message: 'expected MiB as positive integers separated by commas, e.g. 1,4,16,64',
        });
        return z.NEVER;
      }
      return sizes;
    }),
  /**
   * `on`: the bench key has generous RPM/TPM limits and hard budgets (key, team, global) that never refuse, so
   * every routed request pays for its rate-limit and budget checks (worst-case cost, reservation, settlement).
   */
  BENCH_LIMITS: z.enum(['on', 'off']).default('on'),
  /**
   * The router's USAGE_JOURNAL: `on` (its default) appends every usage event to a local journal so a crash
   * loses none; `off` for an A/B of what that costs.
   */
  BENCH_USAGE_JOURNAL: z.enum(['on', 'off']).default('on'),
  /**
   * Which measured runs to make, comma-separated (default all): `rates` (the fixed rates, with the budget lines),
   * `floor` (the bare proxy), `tiered`, `translated` (Anthropic surface → OpenAI upstream), `stream`, `max`, `tracing` (the router
   * with OpenTelemetry off and on, at 500 req/s), `workers` (max req/s with ROUTER_WORKERS 1 and 2, on stacks of their own;
   * needs REDIS_URL). For short experiments, e.g. `BENCH_PARTS=rates`; a run
   * left out prints no line and judges no budget.
   */
  BENCH_PARTS: z
    .string()
    .default(BENCH_PARTS.join(','))
    .transform((value, ctx) => {
      const parts = value.split(',').map((part) => part.trim());
      const unknown = parts.filter((part) => !(BENCH_PARTS as readonly string[]).includes(part));
      if (unknown.length > 0 || parts.length === 0) {
        ctx.addIssue({ code: 'custom', message: `expected some of ${BENCH_PARTS.join(',')}` });
        return z.NEVER;
      }
      return new Set(parts as BenchPart[]);
    }),
  /**
   * `translated`: only the Anthropic surface → OpenAI upstream line (warm-up, then `BENCH_DURATION_S` at 500 req/s),
   * printed alone with its budget; nothing else runs and no result files are written. For a quick look at that
   * path; the full bench (`all`) includes the line anyway.
   */
  BENCH_ONLY: z.enum(['all', 'translated']).default('all'),
  /** Run the router with `node --cpu-prof` and print its hot spots after the run. */
  BENCH_CPU_PROF: flag,
  /**
   * Number every fixed-rate request and time it at the generator and inside the router and the bare proxy
   * (request-trace-preload.cjs), into `<results>/traces/<time>/`; after the run, where the slowest requests' time
   * went (summarize-request-trace.ts). Notes only: no budget line reads it.
   */
  BENCH_TRACE_REQUESTS: flag,
  /** Where JSON + markdown results go. */
  BENCH_RESULTS_DIR: z.string().optional(),
  /**
   * Whether the bench's router keeps its rate limits and budgets in Redis: `off` (default) runs it without
   * REDIS_URL even when the shell has one (limits and budgets in memory); `on` gives it REDIS_URL (required), the
   * production shape where routers share Redis. Printed in the report header.
   */
  BENCH_REDIS: z.enum(['off', 'on']).default('off'),
  /**
   * Redis for the `workers` part (ROUTER_WORKERS above 1 requires it; unset: that part is skipped, saying so) and,
   * with BENCH_REDIS=on, for the bench's router.
   */
  REDIS_URL: z.preprocess((value) => (value === '' ? undefined : value), z.url().optional()),
});

/** The options, and what one requires of another. */
const checkedSchema = schema.superRefine((options, ctx) => {
  if (options.BENCH_REDIS === 'on' && options.REDIS_URL === undefined)
    ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required with BENCH_REDIS=on' });
});

export type BenchEnv = z.infer<typeof schema>;

/** Validates the bench options once at start-up; the only reader of process.env in bench/. */
export function loadBenchEnv(source: NodeJS.ProcessEnv = process.env): BenchEnv {
  return parseOptions(checkedSchema, source, 'bench');
}

/** Raises a readable error naming every invalid option of a schema. */
function parseOptions<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv, what: string): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid ${what} options:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

const seedUsageSchema = z.object({
  /** The database to fill. Absent: a new throwaway database on TEST_DATABASE_URL's server (or postgres on 127.0.0.1). */
  DATABASE_URL: z.url().optional(),
  TEST_DATABASE_URL: z.url().default('postgresql://postgres@127.0.0.1:5432/postgres'),
  /** Usage events to insert. */
  SEED_EVENTS: count.default(5_000_000),
  /** Spread evenly over this many days, ending now. */
  SEED_DAYS: count.default(30),
  /** Events per INSERT … SELECT statement (each also folds its events into both rollup tables). */
  SEED_CHUNK: count.default(250_000),
  SEED_KEYS: count.default(100),
  SEED_TEAMS: count.default(10),
  /** With both, an owner with this e-mail and password is created (once) for measure-console's page timings. */
  BENCH_CONSOLE_EMAIL: z.email().optional(),
  BENCH_CONSOLE_PASSWORD: z.string().min(12).optional(),
});

export type SeedUsageEnv = z.infer<typeof seedUsageSchema>;

/** Options of `npm run seed:usage -w @switchyard/bench`. */
export function loadSeedUsageEnv(source: NodeJS.ProcessEnv = process.env): SeedUsageEnv {
  return parseOptions(seedUsageSchema, source, 'seed:usage');
}

const measureConsoleSchema = z.object({
  /** A running dashboard. */
  DASHBOARD_URL: z.url().default('http://127.0.0.1:3000'),
  SWITCHYARD_ADMIN_TOKEN: z.string({ error: 'is required: the dashboard’s admin token' }).min(16),
  /** Timed calls per endpoint (after MEASURE_WARMUP untimed ones). */
  MEASURE_CALLS: count.default(50),
  MEASURE_WARMUP: z.coerce.number().int().min(0).default(3),
  /** A console user to sign in as; without both, only the admin API is timed, not the pages. */
  BENCH_CONSOLE_EMAIL: z.email().optional(),
  BENCH_CONSOLE_PASSWORD: z.string().min(1).optional(),
});

export type MeasureConsoleEnv = z.infer<typeof measureConsoleSchema>;

/** Options of `npm run measure:console -w @switchyard/bench`. */
export function loadMeasureConsoleEnv(source: NodeJS.ProcessEnv = process.env): MeasureConsoleEnv {
  return parseOptions(measureConsoleSchema, source, 'measure:console');
}
