import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { digestApiKey } from '@switchyard/db';
import { startTestPostgres } from '@switchyard/db/testing';
import {
  buildRuntime,
  type ChildEnv,
  createUnreachableTeamAndBudgets,
  ROOT,
  routerNodeFlags,
  type Stack,
  spawnTs,
  startStack,
  UNREACHABLE_LIMITS,
  UPSTREAM_MODEL,
  waitFor,
} from '@switchyard/testkit';
import { request } from 'undici';
import {
  type BenchReport,
  BUDGET,
  type CpuShare,
  evaluateChecks,
  type Floor,
  type LayoutRates,
  type Pair,
  type PinLayout,
  type RoundTrips,
  type Run,
  renderMarkdown,
  renderText,
  renderTranslatedLine,
  type StreamFloor,
  type TranslatedLine,
  translatedCheck,
  type UsageCheck,
} from './bench-report';
import { type BenchEnv, type BenchLayout, loadBenchEnv } from './env';
import { latencySummary } from './latency-summary';
import type {
  ClosedLoopSlice,
  ClosedLoopTool,
  HttpTarget,
  LoadResult,
  LoadSlice,
  LoadTask,
  PacedSlice,
  PacedTask,
  RoundTripSlice,
  StreamTtfbSlice,
  TracedPart,
  TracedTarget,
} from './load-task';
import { LoadWorker } from './load-worker';
import { measureSemiSpaces } from './measure-semi-spaces';
import { measureTracing } from './measure-tracing';
import { measureWorkers } from './measure-workers';
import { mergeClosedLoop, mergePaced, mergeStreamTtfb } from './merge-slices';
import {
  findPostmaster,
  idleProcessTree,
  normalPriorityTree,
  pinProcess,
  pinProcessTree,
  tasksetAvailable,
  workerProcess,
} from './process-tree';
import { RssSampler, readProcessCpuSeconds, readProcessMemory, readRunQueueWaitMs } from './process-usage';
import { RequestTracer } from './request-tracer';
import type { SideRouterContext } from './side-router-context';
import { formatProfileSummary, summarizeCpuProfile } from './summarize-cpu-profile';
import { formatRequestTraceSummary, summarizeRequestTrace } from './summarize-request-trace';
import { summarizeRouterDiagnostics } from './summarize-router-diagnostics';

/** The credential testkit seeds for the mock upstream account; the direct runs present it too. */
const UPSTREAM_CREDENTIAL = 'sk-upstream-test';
const MESSAGES = [{ role: 'user', content: 'Say hello in five words.' }];

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Per kind of run, the request each side repeats; `anthropic` is OpenAI-shaped direct, Anthropic-shaped routed. */
interface Targets {
  direct: { chat: HttpTarget; stream: HttpTarget; tiered: HttpTarget; anthropic: HttpTarget };
  router: { chat: HttpTarget; stream: HttpTarget; tiered: HttpTarget; anthropic: HttpTarget };
}

/** The translated line's rate: the one the latency budgets are judged at. */
const TRANSLATED_RATE = BUDGET.rate;

/** The bench route with 3 tiers × 2 targets (6 accounts), all healthy: what routing decisions cost. */
const TIERED_MODEL = 'bench-tiered';
/**
 * Slice orders when the bare proxy shares a run's slices with direct and the router: each target takes each
 * place in turn, so neither the router nor the floor is always the one measured after (or before) the other.
 */
const THREE_WAY_ORDERS = [
  ['direct', 'router', 'bare'],
  ['bare', 'router', 'direct'],
  ['router', 'direct', 'bare'],
  ['bare', 'direct', 'router'],
  ['router', 'bare', 'direct'],
  ['direct', 'bare', 'router'],
] as const;

async function addTieredRoute(stack: Stack): Promise<void> {
  const targets: { accountId: string; upstreamModel: string; tier: number; weight: number }[] = [];
  for (let tier = 0; tier < 3; tier++) {
    for (let i = 0; i < 2; i++) {
      const account = await stack.addAccount(`bench-t${tier}-${i}`);
      targets.push({ accountId: account.id, upstreamModel: UPSTREAM_MODEL, tier, weight: i + 1 });
    }
  }
  await stack.addRoute({ publicModel: TIERED_MODEL, targets });
}

/**
 * Puts the bench key under RPM/TPM limits (its own and its team's) and hard budgets on the key, its team and
 * the whole gateway, all far above what the bench spends, then waits until the router enforces them (limited
 * keys get `x-ratelimit-*` headers on every answer). Returns how many requests it got answered with 2xx.
 */
async function enableBudgetsAndLimits(stack: Stack): Promise<number> {
  const key = await stack.prisma.apiKey.findUniqueOrThrow({ where: { digest: digestApiKey(stack.apiKey) } });
  const { teamId } = await createUnreachableTeamAndBudgets(stack.prisma, key.id, 'bench');
  await stack.prisma.apiKey.update({ where: { id: key.id }, data: { teamId, ...UNREACHABLE_LIMITS } });
  let answered = 0;
  await waitFor('the router to enforce the bench limits', async () => {
    const response = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'chat-small', messages: MESSAGES }),
    });
    await response.arrayBuffer();
    if (response.status >= 200 && response.status < 300) answered++;
    return response.status === 200 && response.headers.has('x-ratelimit-limit-requests');
  });
  return answered;
}

/** The same tiny completion, once to the mock and once through the router (public model name, gateway key). */
function targetsFor(stack: Stack): Targets {
  const make = (url: string, key: string, model: string, stream: boolean): HttpTarget => ({
    url,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(
      stream ? { model, messages: MESSAGES, stream: true } : { model, messages: MESSAGES },
    ),
  });
  const direct = `${stack.mockUrl}/chat/completions`;
  const router = `${stack.routerUrl}/v1/chat/completions`;
  // What an Anthropic SDK sends for the same question: the seeded route serves it from the OpenAI-shaped mock.
  const anthropic: HttpTarget = {
    url: `${stack.routerUrl}/v1/messages`,
    headers: {
      'x-api-key': stack.apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({ model: 'chat-small', max_tokens: 64, messages: MESSAGES }),
  };
  return {
    direct: {
      chat: make(direct, UPSTREAM_CREDENTIAL, UPSTREAM_MODEL, false),
      stream: make(direct, UPSTREAM_CREDENTIAL, UPSTREAM_MODEL, true),
      tiered: make(direct, UPSTREAM_CREDENTIAL, UPSTREAM_MODEL, false),
      anthropic: make(direct, UPSTREAM_CREDENTIAL, UPSTREAM_MODEL, false),
    },
    router: {
      chat: make(router, stack.apiKey, 'chat-small', false),
      stream: make(router, stack.apiKey, 'chat-small', true),
      tiered: make(router, stack.apiKey, TIERED_MODEL, false),
      anthropic,
    },
  };
}

/**
 * One Anthropic Messages request through the router before the translated line runs: null when it is served
 * (an Anthropic `message` with text), the reason to skip the line when the router answers 404 there (no Anthropic
 * surface in this build). Any other answer is a misconfigured stack and throws with it.
 */
async function probeAnthropicSurface(target: HttpTarget): Promise<string | null> {
  const response = await request(target.url, { method: 'POST', headers: target.headers, body: target.body });
  const text = await response.body.text();
  // The route table's answer to a path no surface serves (an unknown model would be a 404 of the surface).
  if (response.statusCode === 404 && text.includes('Unknown path')) {
    return `the router answers 404 on POST /v1/messages (no Anthropic surface in this build): ${text.slice(0, 200)}`;
  }
  let message: { type?: unknown; content?: { type?: unknown; text?: unknown }[] } = {};
  try {
    message = JSON.parse(text) as typeof message;
  } catch {}
  if (
    response.statusCode !== 200 ||
    message.type !== 'message' ||
    typeof message.content?.[0]?.text !== 'string'
  ) {
    throw new Error(
      `sanity request (router /v1/messages) answered ${response.statusCode}:\n${text.slice(0, 2000)}`,
    );
  }
  return null;
}

/** One request of each kind before measuring, so a misconfigured stack fails with its answer, not a table of errors. */
async function sanityCheck(targets: Targets): Promise<void> {
  for (const [name, target, stream] of [
    ['direct', targets.direct.chat, false],
    ['direct stream', targets.direct.stream, true],
    ['router', targets.router.chat, false],
    ['router stream', targets.router.stream, true],
  ] as const) {
    const response = await request(target.url, {
      method: 'POST',
      headers: target.headers,
      body: target.body,
    });
    const text = await response.body.text();
    const valid = stream
      ? text.includes('data: [DONE]') && text.includes('chat.completion.chunk')
      : (JSON.parse(text) as { choices?: unknown[] }).choices?.length === 1;
    if (response.statusCode !== 200 || !valid) {
      throw new Error(
        `sanity request (${name}) to ${target.url} answered ${response.statusCode}:\n${text.slice(0, 2000)}`,
      );
    }
  }
}

/** The machine's CPUs, read before the bench pins itself to a subset of them. */
const MACHINE_CPUS = os.availableParallelism();

/** Taskset CPU lists per process; see BENCH_LAYOUTS and docs/benchmarks.md "What runs". */
interface Pins {
  layout: PinLayout;
  router: string;
  mock: string;
  /** The load generator, this process and PostgreSQL. */
  client: string;
}

/** The CPUs of a pinned layout; null for `default` (nothing pinned) or where taskset or a second CPU is missing. */
function choosePinning(layout: BenchLayout): Pins | null {
  const cpus = MACHINE_CPUS;
  if (layout === 'default' || cpus < 2 || !tasksetAvailable()) return null;
  const rest = cpus === 2 ? '1' : `1-${cpus - 1}`;
  return { layout, router: '0', mock: layout === 'client-alone' ? '0' : rest, client: rest };
}

function chooseMaxTool(env: BenchEnv): ClosedLoopTool {
  const wrkThere = spawnSync('wrk', ['-v'], { stdio: 'ignore' }).error === undefined;
  if (env.BENCH_MAX_TOOL === 'wrk' && !wrkThere)
    throw new Error('BENCH_MAX_TOOL=wrk but wrk is not on PATH (apt-get install wrk)');
  if (env.BENCH_MAX_TOOL === 'auto') return wrkThere ? 'wrk' : 'autocannon';
  return env.BENCH_MAX_TOOL;
}

async function main(): Promise<number> {
  const env = loadBenchEnv();
  const startedAt = new Date();
  const loadAvgAtStart = os.loadavg()[0] as number;
  if (loadAvgAtStart > 0.5) {
    log(
      `the machine is already busy (1-min load ${loadAvgAtStart.toFixed(2)}): other work adds noise to every figure`,
    );
  }
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  const resultsDir = path.resolve(env.BENCH_RESULTS_DIR ?? path.join(ROOT, 'bench/results'));
  const profileDir = path.join(resultsDir, 'profiles', stamp);
  const tracer = env.BENCH_TRACE_REQUESTS ? new RequestTracer(path.join(resultsDir, 'traces', stamp)) : null;
  await mkdir(resultsDir, { recursive: true });
  const maxTool = chooseMaxTool(env);

  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log(`cleanup: ${String(error)}`));
    stops.length = 0;
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

  try {
    log('starting PostgreSQL (TEST_DATABASE_URL or embedded) …');
    const pg = await startTestPostgres();
    stops.push(() => pg.stop());
    log('compiling and starting mock provider + router …');
    buildRuntime();
    const routerEnv: ChildEnv = {
      USAGE_FLUSH_MS: '200', // the router's default, not testkit's 50 ms
      USAGE_JOURNAL: env.BENCH_USAGE_JOURNAL,
      // Never inherited from the shell: BENCH_REDIS alone decides whether limits and budgets go to Redis.
      REDIS_URL: env.BENCH_REDIS === 'on' ? env.REDIS_URL : undefined,
    };
    const preload = (file: string) => `--require ${fileURLToPath(new URL(file, import.meta.url))}`;
    const routerPreloads: string[] = [];
    if (env.BENCH_CPU_PROF) {
      await mkdir(profileDir, { recursive: true });
      routerPreloads.push(preload('./cpu-profile-preload.cjs'));
      routerEnv.BENCH_CPU_PROF_DIR = profileDir;
    }
    // The bare proxy gets it too (below): the floor's requests are timed from inside the same way.
    const traceEnv: ChildEnv = {};
    if (tracer) {
      await mkdir(tracer.dir, { recursive: true });
      traceEnv.NODE_OPTIONS = preload('./request-trace-preload.cjs');
      traceEnv.BENCH_TRACE_DIR = tracer.dir;
      routerPreloads.push(traceEnv.NODE_OPTIONS);
      routerEnv.BENCH_TRACE_DIR = tracer.dir;
    }
    if (routerPreloads.length > 0) routerEnv.NODE_OPTIONS = routerPreloads.join(' ');
    const stack = await startStack(pg.serverUrl, routerEnv);
    stops.push(() => stack.stop());
    const routerPid = workerProcess(stack.router.child.pid as number);
    const mockPid = workerProcess(stack.mock.child.pid as number);
    const worker = await LoadWorker.start(ROOT);
    stops.push(() => worker.stop());
    // The floor (see bare-proxy.ts): same node flags as the router, same core.
    const bare = await spawnTs(
      'bench/src/bare-proxy.ts',
      { UPSTREAM: stack.mockUrl, PORT: '0', ...traceEnv },
      /listening on (http:\/\/\S+)/,
      30_000,
      routerNodeFlags(),
    );
    stops.push(() => bare.proc.stop());
    const bareOrigin = bare.match[1] as string;
    const echo = await spawnTs('bench/src/echo-server.ts', { PORT: '0' }, /listening on 127\.0\.0\.1:(\d+)/);
    stops.push(() => echo.proc.stop());

    const postmaster = findPostmaster(Number(new URL(pg.serverUrl).port || 5432));
    /**
     * Puts every process where `layout` says (BENCH_LAYOUTS) and describes it. `default` is what a user's machine
     * runs: nothing pinned, PostgreSQL co-located at normal priority (undoing a pinned layout placed before it).
     * In a pinned layout PostgreSQL stands in for a database on another machine: it shares the load generator's
     * CPUs (new backends fork from the postmaster and inherit its CPU set) at idle priority, so a usage insert never
     * holds the generator off its core while a response waits to be read (seen in `perf sched`: a few of every 30
     * slow routed requests). The router still pays for writing usage on its own core.
     */
    const placeProcesses = (layout: BenchLayout, first: boolean): { pins: Pins | null; pinning: string } => {
      const pins = choosePinning(layout);
      if (!pins && first)
        return {
          pins,
          pinning:
            layout === 'default'
              ? 'default: nothing pinned, PostgreSQL co-located at normal priority (as `npm start` runs)'
              : `none (${layout} asked, but taskset is missing or < 2 CPUs): the OS schedules everything`,
        };
      if (!pins && layout !== 'default') throw new Error(`BENCH_LAYOUTS=${layout} needs taskset and 2+ CPUs`);
      // Without taskset nothing was ever pinned: nothing to undo.
      if (!pins && !tasksetAvailable())
        return { pins, pinning: 'default: nothing pinned (no taskset), PostgreSQL where it was' };
      const all = `0-${MACHINE_CPUS - 1}`;
      pinProcessTree(stack.router.child.pid as number, pins?.router ?? all);
      pinProcessTree(bare.proc.child.pid as number, pins?.router ?? all);
      pinProcessTree(stack.mock.child.pid as number, pins?.mock ?? all);
      pinProcessTree(worker.pid, pins?.client ?? all);
      pinProcess(process.pid, pins?.client ?? all); // only itself: the router and mock are its children
      let pgPlacement = 'PostgreSQL unpinned (not ours to move)';
      if (postmaster !== null) {
        pinProcessTree(postmaster, pins?.client ?? all);
        pgPlacement = pins
          ? idleProcessTree(postmaster)
            ? 'PostgreSQL (idle priority)'
            : 'PostgreSQL'
          : 'PostgreSQL co-located at normal priority';
        if (!pins) normalPriorityTree(postmaster);
      }
      if (!pins) return { pins, pinning: `default: nothing pinned, ${pgPlacement}` };
      const onClient = `load generator + this process${postmaster !== null ? ` + ${pgPlacement}` : ''} → CPU ${pins.client}`;
      return {
        pins,
        pinning: `${pins.layout}, taskset: ${
          pins.layout === 'client-alone'
            ? `router + mock → CPU ${pins.router}; ${onClient}`
            : `router → CPU ${pins.router}; mock + ${onClient}`
        }${postmaster === null ? `; ${pgPlacement}` : ''}`,
      };
    };
    const [layout = 'default', ...extraLayouts] = env.BENCH_LAYOUTS;
    const { pins, pinning } = placeProcesses(layout, true);
    const answeredBy = (target: HttpTarget): TracedTarget => {
      const { origin } = new URL(target.url);
      if (origin === new URL(stack.routerUrl).origin) return 'router';
      return origin === new URL(bareOrigin).origin ? 'bare' : 'direct';
    };
    /** With BENCH_TRACE_REQUESTS, the task numbered and labelled for the request timeline; else the task. */
    const traced = (task: PacedTask, part: TracedPart, inLayout: BenchLayout = layout): PacedTask =>
      tracer?.trace(task, { part, target: answeredBy(task.target), rate: task.rate, layout: inLayout }) ??
      task;
    log(`router pid ${routerPid}, mock pid ${mockPid}, load generator pid ${worker.pid}; layout ${pinning}`);

    // Idle: started, placed, no request yet (issue 15's idle goal).
    const rssAtStartMiB = readProcessMemory(routerPid)?.rssMiB ?? Number.NaN;
    await addTieredRoute(stack);
    const limitProbes = env.BENCH_LIMITS === 'on' ? await enableBudgetsAndLimits(stack) : 0;
    const targets = targetsFor(stack);
    await sanityCheck(targets);
    let routerOk = 2 + limitProbes; // the two sanity requests and those that waited for the limits
    let inFlightAtStop = 0;
    const failures = { direct: 0, router: 0, details: [] as string[] };
    const rss = new RssSampler(routerPid);

    const usageRows = async (): Promise<Record<string, number>> => {
      const groups = await stack.prisma.usageEvent.groupBy({ by: ['status'], _count: { _all: true } });
      return Object.fromEntries(groups.map((g) => [g.status, g._count._all]));
    };
    const rowCount = async () => Object.values(await usageRows()).reduce((a, b) => a + b, 0);
    /** Waits until the router's usage sink has written everything so far, so the next run starts quiet. */
    const settle = async () => {
      await waitFor('usage rows to reach the router 2xx count', async () => (await rowCount()) >= routerOk, {
        timeoutMs: 60_000,
      });
      let last = -1;
      await waitFor(
        'usage rows to stop changing',
        async () => {
          const now = await rowCount();
          const stable = now === last;
          last = now;
          if (!stable) await new Promise((r) => setTimeout(r, 250));
          return stable;
        },
        { timeoutMs: 30_000 },
      );
    };

    const pids = { router: routerPid, mock: mockPid, load: worker.pid };
    /** While set, each router slice's [start, end] epoch ms is added to it. */
    let routerSlices: [number, number][] | null = null;
    const perProcess = (read: (pid: number) => number | null): CpuShare => ({
      router: read(pids.router),
      mock: read(pids.mock),
      load: read(pids.load),
    });
    const zero = (): CpuShare => ({ router: 0, mock: 0, load: 0 });
    const addDelta = (sum: CpuShare, start: CpuShare, end: CpuShare) => {
      for (const k of ['router', 'mock', 'load'] as const) {
        const a = start[k];
        const b = end[k];
        sum[k] = sum[k] === null || a === null || b === null ? null : (sum[k] as number) + (b - a);
      }
    };
    const scaled = (sum: CpuShare, factor: number): CpuShare => ({
      router: sum.router === null ? null : sum.router * factor,
      mock: sum.mock === null ? null : sum.mock * factor,
      load: sum.load === null ? null : sum.load * factor,
    });

    /** Everything measured about one target over the slices of a run. */
    interface Side<S extends LoadSlice> {
      slices: S[];
      cpuSeconds: CpuShare;
      waitMs: CpuShare;
      wallS: number;
      rssPeakMiB: number;
    }
    const countFailures = (label: string, target: 'direct' | 'router', slice: LoadSlice) => {
      const bad = slice.non2xx + slice.errors;
      if (bad > 0) {
        failures[target] += bad;
        failures.details.push(
          `${label} → ${target}: ${slice.non2xx} non-2xx ${JSON.stringify(slice.statuses)}, ${slice.errors} errors${slice.firstError ? ` (first: ${slice.firstError})` : ''}`,
        );
        log(`  !! ${failures.details.at(-1)}`);
      }
    };
    const runSlice = async <S extends LoadSlice>(
      label: string,
      target: 'direct' | 'router',
      task: LoadTask,
      side: Side<S>,
    ) => {
      rss.mark();
      const startedMs = Date.now();
      const cpuBefore = perProcess(readProcessCpuSeconds);
      const waitBefore = perProcess(readRunQueueWaitMs);
      const t0 = performance.now();
      const slice = await worker.run<S>(task as LoadTask & { kind: S['kind'] });
      side.wallS += (performance.now() - t0) / 1000;
      addDelta(side.cpuSeconds, cpuBefore, perProcess(readProcessCpuSeconds));
      addDelta(side.waitMs, waitBefore, perProcess(readRunQueueWaitMs));
      side.rssPeakMiB = Math.max(side.rssPeakMiB, rss.mark());
      side.slices.push(slice);
      countFailures(label, target, slice);
      if (target === 'router') {
        routerSlices?.push([startedMs, Date.now()]);
        routerOk += slice.ok;
        if (slice.kind === 'closed') inFlightAtStop += slice.connections;
        await settle(); // the usage sink's flush must not spill into the next slice
      }
    };

    /** The same request, sent through the bare proxy. */
    const viaBare = (direct: HttpTarget): HttpTarget => ({
      ...direct,
      url: `${bareOrigin}${new URL(direct.url).pathname}`,
    });
    const checkedBare = <S extends LoadSlice>(slice: S): S => {
      if (slice.non2xx + slice.errors > 0) {
        throw new Error(
          `the bare proxy run failed: ${slice.non2xx} non-2xx ${JSON.stringify(slice.statuses)}, ${slice.errors} errors (${slice.firstError ?? ''})`,
        );
      }
      return slice;
    };
    const runBare = async <S extends LoadSlice>(task: LoadTask): Promise<S> =>
      checkedBare(await worker.run<S>(task as LoadTask & { kind: S['kind'] }));

    /**
     * Runs direct and router in alternating slices (D R, R D, D R, …) so that noise from the rest of the
     * machine — bursts come and go — lands on both sides alike, then merges each side's slices.
     */
    const interleave = async <S extends LoadSlice, R extends LoadResult>(
      label: string,
      slices: number,
      kind: keyof Targets['router'],
      task: (target: HttpTarget) => LoadTask,
      merge: (slices: S[]) => R,
      /** Also runs the bare proxy in every slice (the floor measured over the same minutes); its slices land here. */
      bareSlices?: S[],
    ): Promise<Pair<R>> => {
      const sides = {
        direct: { slices: [], cpuSeconds: zero(), waitMs: zero(), wallS: 0, rssPeakMiB: 0 } as Side<S>,
        router: { slices: [], cpuSeconds: zero(), waitMs: zero(), wallS: 0, rssPeakMiB: 0 } as Side<S>,
      };
      for (let i = 0; i < slices; i++) {
        const order = bareSlices
          ? (THREE_WAY_ORDERS[i % THREE_WAY_ORDERS.length] as (typeof THREE_WAY_ORDERS)[number])
          : i % 2 === 0
            ? (['direct', 'router'] as const)
            : (['router', 'direct'] as const);
        log(`${label}: slice ${i + 1}/${slices} (${order.join(', ')})`);
        for (const target of order) {
          if (target === 'bare') bareSlices?.push(await runBare(task(viaBare(targets.direct[kind]))));
          else await runSlice(label, target, task(targets[target][kind]), sides[target]);
        }
      }
      const run = (target: 'direct' | 'router'): Run<R> => {
        const side = sides[target];
        return {
          target,
          result: merge(side.slices),
          cpu: scaled(side.cpuSeconds, 100 / side.wallS),
          runQueueWait: scaled(side.waitMs, 1 / side.wallS),
          cpuUsPerRequest: scaled(
            side.cpuSeconds,
            1e6 /
              Math.max(
                1,
                side.slices.reduce((n, sl) => n + sl.ok, 0),
              ),
          ),
          routerRssPeakMiB: side.rssPeakMiB,
        };
      };
      return { direct: run('direct'), router: run('router') };
    };

    const connections = env.BENCH_RATE_CONNECTIONS;
    const slices = env.BENCH_SLICES;

    /**
     * The floor of the fixed rates when it does not share the rates' slices (`floor` without `rates`): the bare proxy
     * against direct at the first rate, interleaved like every run: what one more hop through a Node process costs
     * here today, so the router's own share of its Δ can be read off.
     */
    const measureFloor = async (): Promise<Floor> => {
      const rate = env.BENCH_RATES[0] as number;
      const durationS = env.BENCH_DURATION_S;
      const label = `floor: bare proxy vs direct ${rate} req/s`;
      const task = (target: HttpTarget, seconds: number, part: 'warm-up' | 'floor') =>
        traced({ kind: 'paced', target, rate, durationS: seconds, connections }, part);
      const direct = targets.direct.chat;
      log(`${label}: warm-up of the bare proxy, ${env.BENCH_WARMUP_S} s`);
      await runBare(task(viaBare(direct), env.BENCH_WARMUP_S, 'warm-up'));
      const sides = { direct: [] as PacedSlice[], bare: [] as PacedSlice[] };
      for (let i = 0; i < slices; i++) {
        const order = i % 2 === 0 ? (['direct', 'bare'] as const) : (['bare', 'direct'] as const);
        log(`${label}, ${durationS} s: slice ${i + 1}/${slices} (${order.join(', ')})`);
        for (const side of order) {
          const target = side === 'direct' ? direct : viaBare(direct);
          sides[side].push(await runBare<PacedSlice>(task(target, durationS / slices, 'floor')));
        }
      }
      return {
        rate,
        direct: mergePaced(sides.direct, rate, durationS),
        bare: mergePaced(sides.bare, rate, durationS),
      };
    };
    /** The probe behind the table's floor: what crossing between the two cores costs, with nothing else running. */
    const measureRoundTrips = async (): Promise<RoundTrips | null> => {
      if (!pins) return null;
      const samples = 1500;
      const gapMs = 2;
      const probe = async (cpus: string) => {
        pinProcessTree(echo.proc.child.pid as number, cpus);
        const task = { kind: 'round-trip', port: Number(echo.match[1]), samples, gapMs } as const;
        return latencySummary((await worker.run<RoundTripSlice>(task)).rttMs);
      };
      log(`round trips between cores: ${samples} × 2, ${gapMs} ms apart`);
      const sameCore = await probe(pins.client);
      const otherCore = await probe(pins.router);
      return { layout: pins.layout, samples, gapMs, sameCore, otherCore };
    };
    /**
     * The translated line (issue 13): Anthropic Messages in, the OpenAI-shaped mock upstream, against the same
     * completion asked of the mock directly, at the budget's rate; its own warm-up, as its path differs from
     * chat's. Skipped, with the reason printed, when the router has no Anthropic surface.
     */
    const measureTranslated = async (): Promise<TranslatedLine> => {
      const skipped = await probeAnthropicSurface(targets.router.anthropic);
      if (skipped !== null) {
        log(`translated line skipped: ${skipped}`);
        return { rate: TRANSLATED_RATE, skipped };
      }
      routerOk++; // the probe's usage row
      const paced = (durationS: number, part: TracedPart) => (target: HttpTarget) =>
        traced({ kind: 'paced', target, rate: TRANSLATED_RATE, durationS, connections }, part);
      await interleave(
        `warm-up Anthropic surface → OpenAI ${TRANSLATED_RATE} req/s, ${env.BENCH_WARMUP_S} s`,
        1,
        'anthropic',
        paced(env.BENCH_WARMUP_S, 'warm-up'),
        (s: PacedSlice[]) => mergePaced(s, TRANSLATED_RATE, env.BENCH_WARMUP_S),
      );
      const pair = await interleave(
        `fixed ${TRANSLATED_RATE} req/s, Anthropic surface → OpenAI upstream (translated), ${env.BENCH_DURATION_S} s`,
        slices,
        'anthropic',
        paced(env.BENCH_DURATION_S / slices, 'translated'),
        (s: PacedSlice[]) => mergePaced(s, TRANSLATED_RATE, env.BENCH_DURATION_S),
      );
      return { rate: TRANSLATED_RATE, skipped: null, ...pair };
    };
    if (env.BENCH_ONLY === 'translated') {
      const line = await measureTranslated();
      process.stdout.write(`\n${renderTranslatedLine(line)}\n`);
      if (failures.details.length > 0)
        process.stdout.write(`\nfailures:\n${failures.details.map((d) => `  ${d}`).join('\n')}\n`);
      return translatedCheck(line).pass === false || failures.direct + failures.router > 0 ? 1 : 0;
    }

    const warmRate = Math.max(...env.BENCH_RATES);
    await interleave(
      `warm-up ${warmRate} req/s, ${env.BENCH_WARMUP_S} s`,
      1,
      'chat',
      (target) =>
        traced(
          { kind: 'paced', target, rate: warmRate, durationS: env.BENCH_WARMUP_S, connections },
          'warm-up',
        ),
      (s: PacedSlice[]) => mergePaced(s, warmRate, env.BENCH_WARMUP_S),
    );
    // The tiered route too: unwarmed, its first measured slice paid for ~150 optimizations (and their compile
    // threads on the router's core) that no other run pays for (seen with --trace-opt).
    if (env.BENCH_PARTS.has('tiered'))
      await interleave(
        `warm-up ${TIERED_MODEL} ${warmRate} req/s, ${env.BENCH_WARMUP_S} s`,
        1,
        'tiered',
        (target) =>
          traced(
            { kind: 'paced', target, rate: warmRate, durationS: env.BENCH_WARMUP_S, connections },
            'warm-up',
          ),
        (s: PacedSlice[]) => mergePaced(s, warmRate, env.BENCH_WARMUP_S),
      );
    const streamWarmRate = Math.max(env.BENCH_TTFB_RATE, 200);
    if (env.BENCH_PARTS.has('stream'))
      await interleave(
        `warm-up stream ${streamWarmRate} req/s, 3 s`,
        1,
        'stream',
        (target) => ({ kind: 'stream-ttfb', target, rate: streamWarmRate, durationS: 3, connections }),
        (s: StreamTtfbSlice[]) => mergeStreamTtfb(s, streamWarmRate, 3),
      );

    const roundTrips = await measureRoundTrips();
    /** The fixed rates (`rates`), direct and router interleaved; `extra` names a further layout. */
    const measureRates = async (
      extra: BenchLayout | null,
      floorSlices?: PacedSlice[],
    ): Promise<BenchReport['rates']> => {
      const prefix = extra === null ? '' : `${extra}: `;
      const measured: BenchReport['rates'] = [];
      for (const rate of env.BENCH_PARTS.has('rates') ? env.BENCH_RATES : []) {
        const withFloor = floorSlices && rate === env.BENCH_RATES[0] ? floorSlices : undefined;
        if (withFloor) {
          log(`warm-up of the bare proxy ${rate} req/s, ${env.BENCH_WARMUP_S} s`);
          await runBare(
            traced(
              {
                kind: 'paced',
                target: viaBare(targets.direct.chat),
                rate,
                durationS: env.BENCH_WARMUP_S,
                connections,
              },
              'warm-up',
            ),
          );
        }
        const pair = await interleave(
          `${prefix}fixed ${rate} req/s, ${env.BENCH_DURATION_S} s`,
          slices,
          'chat',
          (target) =>
            traced(
              { kind: 'paced', target, rate, durationS: env.BENCH_DURATION_S / slices, connections },
              'rates',
              extra ?? layout,
            ),
          (s: PacedSlice[]) => mergePaced(s, rate, env.BENCH_DURATION_S),
          withFloor,
        );
        measured.push({ rate, ...pair });
      }
      return measured;
    };
    // Epoch ms of the router's fixed-rate slices: where the router's diagnostics tell its event-loop stalls apart.
    routerSlices = [];
    // The floor's slices run between the first rate's direct and router slices when both are asked for: the goal
    // compares the router's Δp99 with the bare proxy's, and this host's tail moves 2-7x within minutes (floor Δp99
    // +0.35 to +2.47 ms in consecutive short runs, 2026-12-07), so measured minutes apart the host decided it.
    const floorSlices = env.BENCH_PARTS.has('floor') && env.BENCH_PARTS.has('rates') ? [] : undefined;
    const rates = await measureRates(null, floorSlices);
    const rateSlices = routerSlices;
    routerSlices = null;
    const floor: Floor | null = floorSlices
      ? {
          rate: env.BENCH_RATES[0] as number,
          direct: (rates[0] as BenchReport['rates'][number]).direct.result,
          bare: mergePaced(floorSlices, env.BENCH_RATES[0] as number, env.BENCH_DURATION_S),
          sameSlices: true,
        }
      : env.BENCH_PARTS.has('floor')
        ? await measureFloor()
        : null;
    const tieredRate = env.BENCH_RATES[0] as number;
    const tiered = env.BENCH_PARTS.has('tiered')
      ? {
          rate: tieredRate,
          ...(await interleave(
            `fixed ${tieredRate} req/s through ${TIERED_MODEL} (3 tiers × 6 targets), ${env.BENCH_DURATION_S} s`,
            slices,
            'tiered',
            (target) =>
              traced(
                {
                  kind: 'paced',
                  target,
                  rate: tieredRate,
                  durationS: env.BENCH_DURATION_S / slices,
                  connections,
                },
                'tiered',
              ),
            (s: PacedSlice[]) => mergePaced(s, tieredRate, env.BENCH_DURATION_S),
          )),
        }
      : null;
    const translated = env.BENCH_PARTS.has('translated') ? await measureTranslated() : null;
    // The stream floor's slices run between the router's and direct's, as the rates' floor does (D R B, B R D, …):
    // measured as a phase of its own after the router's, its Δp50 moved 0.37–0.63 ms between consecutive runs on
    // one host (2026-12-07), so the goal compared the host's minutes more than the two proxies.
    const streamFloorSlices: StreamTtfbSlice[] | undefined = env.BENCH_PARTS.has('stream') ? [] : undefined;
    if (streamFloorSlices) {
      log(`warm-up of the bare proxy, stream TTFB ${env.BENCH_TTFB_RATE} req/s, ${env.BENCH_WARMUP_S} s`);
      await runBare({
        kind: 'stream-ttfb',
        target: viaBare(targets.direct.stream),
        rate: env.BENCH_TTFB_RATE,
        durationS: env.BENCH_WARMUP_S,
        connections,
      });
    }
    const ttfb = !env.BENCH_PARTS.has('stream')
      ? null
      : await interleave(
          `stream TTFB ${env.BENCH_TTFB_RATE} req/s, ${env.BENCH_TTFB_DURATION_S} s`,
          slices,
          'stream',
          (target) => ({
            kind: 'stream-ttfb',
            target,
            rate: env.BENCH_TTFB_RATE,
            durationS: env.BENCH_TTFB_DURATION_S / slices,
            connections,
          }),
          (s: StreamTtfbSlice[]) => mergeStreamTtfb(s, env.BENCH_TTFB_RATE, env.BENCH_TTFB_DURATION_S),
          streamFloorSlices,
        );
    const streamFloor: StreamFloor | null =
      ttfb && streamFloorSlices
        ? {
            rate: env.BENCH_TTFB_RATE,
            direct: ttfb.direct.result,
            bare: mergeStreamTtfb(streamFloorSlices, env.BENCH_TTFB_RATE, env.BENCH_TTFB_DURATION_S),
          }
        : null;
    // wrk takes whole seconds; keep every closed-loop slice at least 2 s so connection set-up is noise.
    const maxSliceS = Math.max(2, Math.round(env.BENCH_MAX_DURATION_S / slices));
    const max = !env.BENCH_PARTS.has('max')
      ? null
      : await interleave(
          `closed loop ${env.BENCH_MAX_CONNECTIONS} connections (${maxTool}), ${maxSliceS * slices} s`,
          slices,
          'chat',
          (target) => ({
            kind: 'closed',
            tool: maxTool,
            target,
            connections: env.BENCH_MAX_CONNECTIONS,
            durationS: maxSliceS,
          }),
          (s: ClosedLoopSlice[]) => mergeClosedLoop(s),
        );
    const workers = !env.BENCH_PARTS.has('workers')
      ? null
      : await measureWorkers({
          pgServerUrl: pg.serverUrl,
          redisUrl: env.REDIS_URL,
          load: worker,
          tool: maxTool,
          connections: env.BENCH_MAX_CONNECTIONS,
          durationS: maxSliceS * slices,
          warmupS: env.BENCH_WARMUP_S,
          log,
        });

    /** After every slice of a part that runs its own routers: failures counted, a routed slice's rows settled. */
    const afterSlice = async (label: string, target: 'direct' | 'router', slice: LoadSlice) => {
      countFailures(label, target, slice);
      if (target === 'router') {
        routerOk += slice.ok;
        await settle();
      }
    };

    /** What a part that starts routers of its own beside the bench's needs (tracing, young generation). */
    const sideRouters: SideRouterContext = {
      stack,
      worker,
      routerEnv,
      routerCpus: pins?.router ?? null,
      durationS: env.BENCH_DURATION_S,
      warmupS: env.BENCH_WARMUP_S,
      slices,
      connections,
      direct: targets.direct.chat,
      routed: targets.router.chat,
      afterSlice,
      log,
    };
    const tracing = !env.BENCH_PARTS.has('tracing')
      ? null
      : await measureTracing({ ...sideRouters, rate: BUDGET.rate });

    // The further layouts (BENCH_LAYOUTS after the first): the fixed rates again, processes placed anew each time.
    const layouts: LayoutRates[] = [];
    for (const extra of env.BENCH_PARTS.has('rates') ? extraLayouts : []) {
      const placed = placeProcesses(extra, false);
      log(`layout ${placed.pinning}`);
      layouts.push({ layout: extra, pinning: placed.pinning, rates: await measureRates(extra) });
    }
    if (layouts.length > 0 && env.BENCH_SEMI_SPACES.length > 0) placeProcesses(layout, false);

    const semiSpaces =
      env.BENCH_SEMI_SPACES.length === 0
        ? null
        : await measureSemiSpaces({
            ...sideRouters,
            semiSpacesMiB: env.BENCH_SEMI_SPACES,
            rates: env.BENCH_RATES,
          });

    const rows = await usageRows();
    // What went wrong, when something did: the unexpected rows by status, error class and HTTP status.
    const unexpected = await stack.prisma.usageEvent.groupBy({
      by: ['status', 'errorClass', 'httpStatus'],
      where: { status: { notIn: ['success', 'client_cancelled'] } },
      _count: { _all: true },
    });
    const success = rows.success ?? 0;
    const cancelled = rows.client_cancelled ?? 0;
    const others = Object.entries(rows).filter(
      ([status]) => status !== 'success' && status !== 'client_cancelled',
    );
    const usage: UsageCheck = {
      routerOk,
      inFlightAtStop,
      rowsByStatus: rows,
      pass: success >= routerOk && success + cancelled <= routerOk + inFlightAtStop && others.length === 0,
      detail:
        `${success.toLocaleString('en-US')} success rows for ${routerOk.toLocaleString('en-US')} 2xx` +
        (success + cancelled > routerOk
          ? ` (+${success + cancelled - routerOk} in flight at a closed-loop stop, ≤ ${inFlightAtStop})`
          : '') +
        (others.length > 0
          ? `; unexpected: ${unexpected.map((g) => `${g._count._all} ${g.status} (${g.errorClass ?? 'no error class'}, HTTP ${g.httpStatus})`).join(', ')}`
          : ''),
    };
    const memory = rss.stop();

    await stopAll();
    let profile: BenchReport['profile'];
    if (env.BENCH_CPU_PROF) {
      const file = (await readdir(profileDir)).find((name) => name === `router.${routerPid}.cpuprofile`);
      if (file) {
        const full = path.join(profileDir, file);
        const diagnostics = path.join(profileDir, `router.${routerPid}.diagnostics.json`);
        profile = {
          file: path.relative(ROOT, full),
          summary: `${summarizeRouterDiagnostics(
            diagnostics,
            rateSlices.length > 0
              ? {
                  slices: rateSlices,
                  label: `the router's fixed-rate slices (${env.BENCH_RATES.join(', ')} req/s)`,
                }
              : undefined,
          )}\n\n${formatProfileSummary(summarizeCpuProfile(full, 25))}`,
        };
      } else {
        log(`no CPU profile for router pid ${routerPid} in ${profileDir}`);
      }
    }

    // After stopAll: the router and the bare proxy write their traces as they exit.
    const requestTrace = tracer ? formatRequestTraceSummary(summarizeRequestTrace(tracer.dir)) : null;

    const finishedAt = new Date();
    const draft = {
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      machine: {
        node: process.version,
        cpus: MACHINE_CPUS,
        cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
        pinning,
        loadAvgAtStart,
      },
      options: {
        ...env,
        BENCH_PARTS: [...env.BENCH_PARTS],
        // The results are shared: never a Redis password.
        REDIS_URL: env.REDIS_URL === undefined ? undefined : withoutPassword(env.REDIS_URL),
        maxTool,
      },
      layout,
      rates,
      layouts,
      semiSpaces,
      floor,
      streamFloor,
      roundTrips,
      tiered,
      translated,
      ttfb,
      max,
      tracing,
      workers,
      router: { pid: routerPid, rssAtStartMiB, rssPeakMiB: memory.peakMiB, hwmMiB: memory.hwmMiB },
      failures,
      usage,
      profile,
    };
    const checks = evaluateChecks(draft);
    const report: BenchReport = { ...draft, checks, pass: checks.every((c) => c.pass !== false) };

    const text = renderText(report);
    process.stdout.write(`\n${text}\n`);
    if (report.profile)
      process.stdout.write(`\nrouter CPU profile (${report.profile.file}):\n${report.profile.summary}\n`);
    if (requestTrace !== null && tracer)
      process.stdout.write(`\nnotes: request timeline (${tracer.dir}):\n${requestTrace}\n`);
    if (failures.details.length > 0)
      process.stdout.write(`\nfailures:\n${failures.details.map((d) => `  ${d}`).join('\n')}\n`);
    const base = path.join(resultsDir, `bench-${stamp}`);
    await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(`${base}.md`, renderMarkdown(report));
    await copyFile(`${base}.json`, path.join(resultsDir, 'latest.json'));
    await copyFile(`${base}.md`, path.join(resultsDir, 'latest.md'));
    process.stdout.write(`\nwrote ${path.relative(process.cwd(), base)}.{json,md} (and latest.*)\n`);
    return report.pass ? 0 : 1;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `\nbench FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);

/** A URL as the results may show it: its password, if any, replaced. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== '') parsed.password = '***';
  return parsed.toString();
}
