import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from 'node:worker_threads';
import { JsonTraceSerializer } from '@opentelemetry/otlp-transformer';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { AttemptRecord, ResolvedTarget, UpstreamCall, UsageEventRecord } from '@switchyard/core';
import { waitFor } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ExportLog, SpanExportThread } from './span-export-thread';
import { startOtelTracing } from './start-otel-tracing';

// Serializing a batch of spans to OTLP JSON took up to ~30 ms of the request thread (issue: tracing on cost the
// router's p99 +4 to +10 ms). The export now runs in a worker thread: this thread's instance of the exporter's
// serializer (the module the SDK's OTLP/HTTP exporter calls per batch) must never be called, while the collector
// still receives every span, intact.

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status: { code?: number; message?: string };
  attributes: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}
interface ReceivedBody {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: ReceivedSpan[] }[];
  }[];
}

let collector: Server;
let endpoint: string;
const posts: ReceivedBody[] = [];

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      posts.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ReceivedBody);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => collector.close(resolve)));
const received = () =>
  posts.flatMap((body) => body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));

interface Logged {
  level: 'error' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}
/** A log that keeps what it is told, in order. */
function recordingLog(): { log: ExportLog; logged: Logged[] } {
  const logged: Logged[] = [];
  return {
    logged,
    log: {
      error: (message, fields) => logged.push({ level: 'error', message, fields }),
      warn: (message, fields) => logged.push({ level: 'warn', message, fields }),
    },
  };
}

const resolved = {
  target: { id: 'tgt_1', upstreamModel: 'up-model' },
  provider: { id: 'prv_1' },
  account: { id: 'acc_1' },
} as unknown as ResolvedTarget;
const call: UpstreamCall = { url: 'http://upstream/v1/chat/completions', headers: {}, body: '{}' };
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER_SPAN = 'b7ad6b7169203331';

/** One request with one failed attempt, as the request path traces it: 2 spans. */
function traceRequest(tracing: ReturnType<typeof startOtelTracing>, i: number): void {
  const remote = i % 2 === 0;
  const startedAt = Date.now();
  const trace = tracing.request(
    remote ? `00-${CALLER_TRACE}-${CALLER_SPAN}-01` : undefined,
    remote ? 'vendor=abc' : undefined,
    startedAt,
    `req_${i}`,
    'openai-chat',
  );
  trace.attempt(resolved, call);
  trace.record({ reason: 'primary', latencyMs: 3, status: 503, errorClass: 'server_error' } as AttemptRecord);
  const event = {
    routeId: 'rte_1',
    requestedModel: 'public',
    status: 'upstream_error',
    attempts: [{}],
    httpStatus: 502,
    inputTokens: i,
    outputTokens: 0,
    costMicros: 0n,
    servedProviderId: null,
    servedAccountId: null,
    servedModel: null,
    errorClass: 'server_error',
    createdAt: startedAt,
    latencyMs: 5,
  } as unknown as UsageEventRecord;
  trace.end(event, 'interactive', 'public');
}

const attribute = (span: ReceivedSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

describe('span export off the request thread', () => {
  it('2,000 spans reach the collector intact, and this thread never serializes or sends them', async () => {
    const serialize = vi.spyOn(JsonTraceSerializer, 'serializeRequest');
    const tracing = startOtelTracing({ endpoint, serviceName: 'off-thread', exportDelayMs: 50 });
    try {
      // Half exported by the batch timer, half by shutdown's flush.
      for (let i = 0; i < 500; i++) traceRequest(tracing, i);
      await waitFor('the first 1,000 spans', () => (received().length >= 1_000 ? true : null), {
        timeoutMs: 10_000,
      });
      for (let i = 500; i < 1_000; i++) traceRequest(tracing, i);
    } finally {
      await tracing.shutdown();
    }

    expect(serialize).not.toHaveBeenCalled();
    serialize.mockRestore();

    const spans = received();
    expect(spans).toHaveLength(2_000);
    // One resource and one scope per export, as the SDK groups them; no export above the SDK's batch size.
    for (const body of posts) {
      expect(body.resourceSpans).toHaveLength(1);
      expect(body.resourceSpans[0]?.resource.attributes).toEqual([
        { key: 'service.name', value: { stringValue: 'off-thread' } },
      ]);
      expect(body.resourceSpans[0]?.scopeSpans.map((s) => s.scope.name)).toEqual(['switchyard-router']);
      expect(body.resourceSpans[0]?.scopeSpans[0]?.spans.length).toBeLessThanOrEqual(512);
    }
    const requests = spans.filter((s) => s.name === 'switchyard openai-chat');
    const attempts = spans.filter((s) => s.name === 'upstream attempt');
    expect(requests).toHaveLength(1_000);
    expect(attempts).toHaveLength(1_000);
    const bySpanId = new Map(requests.map((s) => [s.spanId, s]));
    expect(new Set(requests.map((s) => attribute(s, 'switchyard.request_id'))).size).toBe(1_000);
    for (const span of requests) {
      const i = Number(String(attribute(span, 'switchyard.request_id')).slice(4));
      expect(attribute(span, 'gen_ai.usage.input_tokens')).toBe(i);
      expect(span.kind).toBe(2); // SERVER
      expect(span.status).toEqual({ code: 2, message: 'server_error' });
      expect(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)).toBe(5_000_000n);
      if (i % 2 === 0) {
        // Continued from the caller: its trace, its span as parent (remote), its trace state.
        expect(span.traceId).toBe(CALLER_TRACE);
        expect(span.parentSpanId).toBe(CALLER_SPAN);
        expect(span.traceState).toBe('vendor=abc');
        expect(span.flags).toBe(0x301); // sampled, has-is-remote, is-remote
      } else {
        expect(span.parentSpanId).toBeUndefined();
        expect(span.flags).toBe(0x101);
      }
    }
    for (const span of attempts) {
      const parent = bySpanId.get(span.parentSpanId ?? '');
      expect(parent?.traceId).toBe(span.traceId);
      expect(span.kind).toBe(3); // CLIENT
      expect(span.flags).toBe(0x101); // a local parent
      expect(attribute(span, 'switchyard.attempt.reason')).toBe('primary');
      expect(attribute(span, 'http.response.status_code')).toBe(503);
      expect(attribute(span, 'switchyard.target_id')).toBe('tgt_1');
    }
  }, 30_000);

  it('a collector that refuses connections: the failed export reaches the log, the thread lives, shutdown resolves', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const { log, logged } = recordingLog();
    // The thread takes the environment as it is when it starts: a short export timeout, so the failure comes soon.
    const timeout = process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
    process.env.OTEL_EXPORTER_OTLP_TIMEOUT = '500';
    const tracing = startOtelTracing(
      { endpoint: `http://127.0.0.1:${port}`, serviceName: 'refused', exportDelayMs: 10 },
      log,
    );
    if (timeout === undefined) delete process.env.OTEL_EXPORTER_OTLP_TIMEOUT;
    else process.env.OTEL_EXPORTER_OTLP_TIMEOUT = timeout;
    for (let i = 0; i < 100; i++) traceRequest(tracing, i);
    const failed = await waitFor('the failed export in the log', () => logged[0], { timeoutMs: 15_000 });
    expect(failed.level).toBe('warn');
    expect(failed.message).toBe('span export failed');
    expect(failed.fields.diagLevel).toBe('error');
    expect(failed.fields.problem).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
    const started = Date.now();
    await tracing.shutdown();
    expect(Date.now() - started).toBeLessThan(10_000);
    // Only failed exports: the thread itself never failed.
    expect(logged.filter((entry) => entry.message !== 'span export failed')).toEqual([]);
  }, 30_000);

  it('a thread that dies is replaced after a doubling delay: spans ended later reach the collector, shutdown starts none', async () => {
    const { log, logged } = recordingLog();
    const processor = new SpanExportThread(
      {
        url: `${endpoint}/v1/traces`,
        exportDelayMs: 10,
        resourceAttributes: { 'service.name': 'restarted' },
        scope: { name: 'restart-test' },
      },
      log,
      { firstDelayMs: 200, maxDelayMs: 400, stableMs: 60_000 },
    );
    const provider = new BasicTracerProvider({ spanProcessors: [processor] });
    const tracer = provider.getTracer('restart-test');
    // The thread the processor holds now, killed from here as a crash or an OOM kill would.
    const thread = () => (processor as unknown as { worker: Worker | null }).worker;
    const arrived = (name: string) => received().filter((span) => span.name === name).length;
    const exported = (name: string) => {
      tracer.startSpan(name).end();
      return waitFor(`span ${name} at the collector`, () => arrived(name) > 0, { timeoutMs: 10_000 });
    };
    const nth = (message: string, n: number) => () => logged.filter((e) => e.message === message)[n - 1];
    const FAILED = 'span export thread failed: the spans it held are lost';
    const RESTARTED = 'span export thread restarted';
    try {
      await exported('before');

      // An uncaught exception in the thread: a span record it cannot read.
      thread()?.postMessage({ spans: [null] });
      const failed = await waitFor('the first failure in the log', nth(FAILED, 1));
      expect(failed.level).toBe('error');
      expect(failed.fields.error).toBe("Cannot read properties of null (reading 'context')");
      expect(failed.fields.restartInMs).toBe(200);
      // No thread until the delay has passed: this one is dropped and counted.
      tracer.startSpan('while dead').end();
      expect(thread()).toBeNull();
      const restarted = await waitFor('the first restart in the log', nth(RESTARTED, 1));
      expect(restarted).toEqual({ level: 'warn', message: RESTARTED, fields: { attempt: 1, delayMs: 200 } });
      await exported('after the first restart');
      expect(logged).toContainEqual({
        level: 'warn',
        message: 'trace spans dropped: the span export thread was behind or restarting',
        fields: { spans: 1 },
      });

      // Killed again soon after it started: the delay doubles.
      await thread()?.terminate();
      expect((await waitFor('the second failure', nth(FAILED, 2))).fields).toEqual({
        error: 'exited with code 1',
        restartInMs: 400,
      });
      expect((await waitFor('the second restart', nth(RESTARTED, 2))).fields).toEqual({
        attempt: 2,
        delayMs: 400,
      });
      await exported('after the second restart');

      // A third death, and shutdown during its delay: it resolves without waiting for a thread and starts none.
      await thread()?.terminate();
      expect((await waitFor('the third failure', nth(FAILED, 3))).fields.restartInMs).toBe(400);
      const started = Date.now();
      await provider.shutdown();
      expect(Date.now() - started).toBeLessThan(2_000);
      // Past the delay the restart would have waited (its timer, had it not been cleared): still no thread.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(thread()).toBeNull();
      expect(logged.filter((e) => e.message === RESTARTED)).toHaveLength(2);
    } finally {
      await provider.shutdown();
    }
    expect(arrived('while dead')).toBe(0);
    expect(arrived('after the first restart')).toBe(1);
    expect(arrived('after the second restart')).toBe(1);
  }, 30_000);
});
