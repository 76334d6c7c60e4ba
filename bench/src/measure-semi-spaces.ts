import { startExtraRouter } from '@switchyard/testkit';
import type { HttpTarget, PacedResult, PacedSlice } from './load-task';
import { mergePaced } from './merge-slices';
import { pinProcessTree, workerProcess } from './process-tree';
import { RssSampler, readProcessCpuSeconds, readProcessMemory } from './process-usage';
import type { SideRouterContext } from './side-router-context';

/**
 * The young-generation trade-off (issue 15, BENCH_SEMI_SPACES): per `--max-semi-space-size` value, a router started
 * with it in place of its start script's value (every other flag the script's) runs the fixed rates against direct,
 * interleaved; RSS at start and peak per rate against Δp50/Δp99.
 */
export interface SemiSpaceLine {
  /** MiB, as given to `--max-semi-space-size`. */
  semiSpaceMiB: number;
  /** RSS of the router's process once started (before any request), MiB. */
  rssStartMiB: number;
  rates: {
    rate: number;
    direct: PacedResult;
    router: PacedResult;
    /** Peak router RSS during this rate's router slices, MiB. */
    rssPeakMiB: number;
    cpuUsPerRequest: number | null;
  }[];
}

export interface MeasureSemiSpacesOptions extends SideRouterContext {
  semiSpacesMiB: number[];
  rates: number[];
}

/** How long a started router is left alone before its start RSS is read (lazy start-up work settles). */
const SETTLE_BEFORE_RSS_MS = 3_000;

export async function measureSemiSpaces(options: MeasureSemiSpacesOptions): Promise<SemiSpaceLine[]> {
  const { worker, connections, log } = options;
  const lines: SemiSpaceLine[] = [];
  for (const size of options.semiSpacesMiB) {
    const router = await startExtraRouter(options.stack, options.routerEnv, [
      `--max-semi-space-size=${size}`,
    ]);
    try {
      const pid = workerProcess(router.proc.child.pid as number);
      if (options.routerCpus !== null) pinProcessTree(router.proc.child.pid as number, options.routerCpus);
      await new Promise((resolve) => setTimeout(resolve, SETTLE_BEFORE_RSS_MS));
      const rssStartMiB = readProcessMemory(pid)?.rssMiB ?? Number.NaN;
      const rss = new RssSampler(pid);
      const routed: HttpTarget = {
        ...options.routed,
        url: `${router.url}${new URL(options.routed.url).pathname}`,
      };
      const run = async (label: string, side: 'direct' | 'router', rate: number, durationS: number) => {
        const slice = await worker.run<PacedSlice>({
          kind: 'paced',
          target: side === 'direct' ? options.direct : routed,
          rate,
          durationS,
          connections,
        });
        await options.afterSlice(label, side, slice);
        return slice;
      };
      const warmRate = Math.max(...options.rates);
      log(`semi-space ${size} MiB: warm-up ${warmRate} req/s, ${options.warmupS} s`);
      await run(`semi-space ${size} MiB warm-up`, 'router', warmRate, options.warmupS);
      const line: SemiSpaceLine = { semiSpaceMiB: size, rssStartMiB, rates: [] };
      for (const rate of options.rates) {
        const label = `semi-space ${size} MiB, fixed ${rate} req/s, ${options.durationS} s`;
        const sides = { direct: [] as PacedSlice[], router: [] as PacedSlice[] };
        let cpuS: number | null = 0;
        rss.mark();
        let rssPeakMiB = 0;
        for (let i = 0; i < options.slices; i++) {
          const order = i % 2 === 0 ? (['direct', 'router'] as const) : (['router', 'direct'] as const);
          log(`${label}: slice ${i + 1}/${options.slices} (${order.join(', ')})`);
          for (const side of order) {
            const before = side === 'router' ? readProcessCpuSeconds(pid) : null;
            rss.mark();
            sides[side].push(await run(label, side, rate, options.durationS / options.slices));
            if (side === 'router') {
              rssPeakMiB = Math.max(rssPeakMiB, rss.mark());
              const after = readProcessCpuSeconds(pid);
              cpuS = cpuS === null || before === null || after === null ? null : cpuS + (after - before);
            }
          }
        }
        const ok = sides.router.reduce((n, s) => n + s.ok, 0);
        line.rates.push({
          rate,
          direct: mergePaced(sides.direct, rate, options.durationS),
          router: mergePaced(sides.router, rate, options.durationS),
          rssPeakMiB,
          cpuUsPerRequest: cpuS === null || ok === 0 ? null : (cpuS * 1e6) / ok,
        });
      }
      rss.stop();
      lines.push(line);
    } finally {
      await router.stop();
    }
  }
  return lines;
}
