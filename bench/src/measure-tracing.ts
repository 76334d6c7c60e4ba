import { createServer, type Server } from 'node:http';
import { type ExtraRouter, startExtraRouter } from '@switchyard/testkit';
import type { HttpTarget, PacedResult, PacedSlice } from './load-task';
import { mergePaced } from './merge-slices';
import { pinProcessTree, workerProcess } from './process-tree';
import { readProcessCpuSeconds } from './process-usage';
import type { SideRouterContext } from './side-router-context';

/**
 * The tracing line (issue 15: "no cost on the hot path when off, show it in the bench"): one fixed rate, three
 * sides interleaved — the mock directly, the bench's router (tracing off: OTEL_EXPORTER_OTLP_ENDPOINT unset, the
 * SDK never loaded) and a second router on the same database and mock with tracing on, exporting every span to
 * a local OTLP/HTTP receiver that only counts them and answers 200.
 */
export interface TracingLine {
  rate: number;
  direct: PacedResult;
  off: PacedResult;
  on: PacedResult;
  /** Router CPU µs per 2xx, each router over its own slices. */
  cpuUsPerRequest: { off: number | null; on: number | null };
  /** What the receiver got from the traced router over the whole part (warm-up included). */
  exported: { requests: number; spans: number; bytes: number };
}

export interface MeasureTracingOptions extends SideRouterContext {
  rate: number;
}

type Side = 'direct' | 'off' | 'on';

export async function measureTracing(options: MeasureTracingOptions): Promise<TracingLine> {
  const { stack, worker, rate, connections, log } = options;
  const receiver = await startOtlpReceiver();
  let traced: ExtraRouter | null = null;
  try {
    traced = await startExtraRouter(stack, {
      ...options.routerEnv,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    });
    const tracedPid = workerProcess(traced.proc.child.pid as number);
    if (options.routerCpus !== null) pinProcessTree(traced.proc.child.pid as number, options.routerCpus);
    const offPid = workerProcess(stack.router.child.pid as number);
    const targets: Record<Side, HttpTarget> = {
      direct: options.direct,
      off: options.routed,
      on: { ...options.routed, url: `${traced.url}${new URL(options.routed.url).pathname}` },
    };
    const pids: Record<Side, number | null> = { direct: null, off: offPid, on: tracedPid };
    const run = async (label: string, side: Side, durationS: number) => {
      const pid = pids[side];
      const cpuBefore = pid === null ? null : readProcessCpuSeconds(pid);
      const slice = await worker.run<PacedSlice>({
        kind: 'paced',
        target: targets[side],
        rate,
        durationS,
        connections,
      });
      const cpuAfter = pid === null ? null : readProcessCpuSeconds(pid);
      await options.afterSlice(label, side === 'direct' ? 'direct' : 'router', slice);
      return { slice, cpuS: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore };
    };

    // The bench's own warm-up covered direct and the untraced router; the traced one has its JIT still to do.
    log(`tracing: warm-up of the traced router ${rate} req/s, ${options.warmupS} s`);
    await run('tracing warm-up', 'on', options.warmupS);
    const slices: Record<Side, PacedSlice[]> = { direct: [], off: [], on: [] };
    const cpu: Record<Side, number | null> = { direct: 0, off: 0, on: 0 };
    const orders: Side[][] = [
      ['direct', 'off', 'on'],
      ['off', 'on', 'direct'],
      ['on', 'direct', 'off'],
    ];
    for (let i = 0; i < options.slices; i++) {
      const order = orders[i % orders.length] as Side[];
      const label = `tracing off/on ${rate} req/s, ${options.durationS} s`;
      log(`${label}: slice ${i + 1}/${options.slices} (${order.join(', ')})`);
      for (const side of order) {
        const { slice, cpuS } = await run(label, side, options.durationS / options.slices);
        slices[side].push(slice);
        const sum = cpu[side];
        cpu[side] = sum === null || cpuS === null ? null : sum + cpuS;
      }
    }
    const merged = (side: Side) => mergePaced(slices[side], rate, options.durationS);
    const perRequest = (side: Side) => {
      const ok = slices[side].reduce((n, s) => n + s.ok, 0);
      const seconds = cpu[side];
      return seconds === null || ok === 0 ? null : (seconds * 1e6) / ok;
    };
    return {
      rate,
      direct: merged('direct'),
      off: merged('off'),
      on: merged('on'),
      cpuUsPerRequest: { off: perRequest('off'), on: perRequest('on') },
      exported: { ...receiver.received },
    };
  } finally {
    await traced?.stop();
    await receiver.close();
  }
}

/**
 * A stand-in for an OpenTelemetry Collector: takes OTLP/HTTP JSON on POST /v1/traces, counts requests, spans and
 * bytes, and answers 200 `{}` (an export the SDK counts as delivered). It runs in the bench process, off the
 * router's core, so only what the router does to trace is measured.
 */
async function startOtlpReceiver(): Promise<{
  url: string;
  received: { requests: number; spans: number; bytes: number };
  close: () => Promise<void>;
}> {
  const received = { requests: 0, spans: 0, bytes: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.requests++;
      received.bytes += body.length;
      received.spans += countSpans(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the OTLP receiver has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Spans in an OTLP/HTTP JSON export (`resourceSpans[].scopeSpans[].spans[]`); 0 for anything else. */
function countSpans(body: Buffer): number {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
    };
    let spans = 0;
    for (const resource of parsed.resourceSpans ?? [])
      for (const scope of resource.scopeSpans ?? []) spans += scope.spans?.length ?? 0;
    return spans;
  } catch {
    return 0;
  }
}
