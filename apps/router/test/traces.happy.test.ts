import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awaitUsageRow, SEEDED_MODEL, type Stack, setMockFaults, startStack, waitFor } from './stack';

// OpenTelemetry traces end to end: a real router exporting OTLP/HTTP (JSON) to a collector this test runs, the
// mock provider upstream (it records the headers of the last request it answered), the openai SDK as the client.

/** One span as OTLP/JSON carries it, with its attributes flattened. */
interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  status: { code?: number; message?: string };
  attributes: Record<string, string | number | boolean>;
  service: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpBody {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: (Omit<CollectedSpan, 'attributes' | 'service' | 'parentSpanId'> & {
        parentSpanId?: string;
        attributes?: OtlpAttribute[];
      })[];
    }[];
  }[];
}

function flatten(attributes: OtlpAttribute[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of attributes ?? []) {
    if (value.stringValue !== undefined) out[key] = value.stringValue;
    else if (value.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value.doubleValue !== undefined) out[key] = value.doubleValue;
    else if (value.boolValue !== undefined) out[key] = value.boolValue;
  }
  return out;
}

let stack: Stack;
let client: OpenAI;
let collector: Server;
const spans: CollectedSpan[] = [];
const contentTypes: string[] = [];
let a: { id: string; credential: string };
let b: { id: string; credential: string };

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/traces') return void res.writeHead(404).end();
      contentTypes.push(String(req.headers['content-type']));
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody;
      for (const resource of body.resourceSpans ?? []) {
        const service = String(flatten(resource.resource?.attributes)['service.name']);
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({
              ...span,
              parentSpanId: span.parentSpanId ?? '',
              attributes: flatten(span.attributes),
              service,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  const { port } = collector.address() as AddressInfo;
  stack = await startStack({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/`,
    OTEL_SERVICE_NAME: 'router-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '50',
  });
  client = stack.client(undefined, { maxRetries: 0 });
  a = await stack.addAccount('tr-a');
  b = await stack.addAccount('tr-b');
}, 60_000);
afterEach(async () => {
  await setMockFaults(stack, {});
});
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => collector?.close(resolve));
});

/** The mock's last request headers (credentials redacted by the mock). */
async function lastUpstreamHeaders(): Promise<Record<string, string | string[]>> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    lastRequest: { headers: Record<string, string | string[]> } | null;
  };
  return stats.lastRequest?.headers ?? {};
}

/** The request span of `requestId` and its attempt children, once `attempts` of them have been exported. */
function traceOf(requestId: string, attempts: number) {
  return waitFor(
    `the spans of ${requestId}`,
    () => {
      const request = spans.find((s) => s.attributes['switchyard.request_id'] === requestId);
      if (!request) return null;
      const children = spans.filter(
        (s) => s.parentSpanId === request.spanId && s.traceId === request.traceId,
      );
      return children.length >= attempts ? { request, children } : null;
    },
    { timeoutMs: 10_000 },
  );
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const messages = [{ role: 'user' as const, content: 'trace me through the gateway' }];

describe('OpenTelemetry traces', () => {
  it('a failed-over request: one span under the caller’s traceparent, a child per attempt, traceparent upstream', async () => {
    const model = 'tr-failover';
    const route = await stack.addRoute({
      publicModel: 'tr-failover-route',
      targets: [
        { accountId: a.id, upstreamModel: model, tier: 0 },
        { accountId: b.id, upstreamModel: model, tier: 1 },
      ],
    });
    await setMockFaults(stack, { byKey: { [a.credential]: { status: 503 } } });
    const traceId = hex(16);
    const parentSpanId = hex(8);

    const { data, response } = await client.chat.completions
      .create(
        { model: 'tr-failover-route', messages },
        { headers: { traceparent: `00-${traceId}-${parentSpanId}-01`, tracestate: 'vendor=abc' } },
      )
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    const requestId = response.headers.get('x-request-id') ?? '';
    const upstream = await lastUpstreamHeaders();
    const row = await awaitUsageRow(stack, requestId);
    const { request, children } = await traceOf(requestId, 3);

    expect(contentTypes[0]).toContain('application/json');
    expect(request.service).toBe('router-under-test');
    expect(request.traceId).toBe(traceId);
    expect(request.parentSpanId).toBe(parentSpanId);
    expect(request.name).toBe('switchyard openai-chat');
    expect(request.kind).toBe(2); // SERVER
    expect(request.attributes).toMatchObject({
      'switchyard.request_id': requestId,
      'switchyard.surface': 'openai-chat',
      'switchyard.route_id': route.id,
      'switchyard.public_model': 'tr-failover-route',
      'switchyard.provider_id': stack.providerId,
      'switchyard.account_id': b.id,
      'gen_ai.response.model': model,
      'switchyard.status': 'success',
      'switchyard.traffic_class': 'interactive',
      'switchyard.attempts': 3,
      'http.response.status_code': 200,
      'gen_ai.usage.input_tokens': row.inputTokens,
      'gen_ai.usage.output_tokens': row.outputTokens,
      'switchyard.cost_micros': Number(row.costMicros),
    });
    expect(row.inputTokens).toBeGreaterThan(0);

    // A, A again (retry_same after a transient 503), then B: each attempt a CLIENT child of the request span.
    expect(children).toHaveLength(3);
    const byReason = Object.fromEntries(children.map((s) => [s.attributes['switchyard.attempt.reason'], s]));
    expect(Object.keys(byReason).sort()).toEqual(['other_account', 'primary', 'retry_same']);
    for (const reason of ['primary', 'retry_same']) {
      expect(byReason[reason]?.attributes).toMatchObject({
        'switchyard.account_id': a.id,
        'switchyard.target_id': route.targetIds[0],
        'http.response.status_code': 503,
        'error.type': 'server_error',
      });
      expect(byReason[reason]?.status).toEqual({ code: 2, message: 'server_error' }); // ERROR
      expect(byReason[reason]?.name).toBe('upstream attempt');
    }
    const served = byReason.other_account;
    expect(served?.name).toBe('upstream attempt');
    expect(served?.kind).toBe(3); // CLIENT
    expect(served?.attributes).toMatchObject({
      'switchyard.account_id': b.id,
      'switchyard.target_id': route.targetIds[1],
      'http.response.status_code': 200,
    });
    expect(served?.attributes['error.type']).toBeUndefined();

    // The upstream saw the served attempt's own span as its parent, in the caller's trace, with its tracestate.
    expect(upstream.traceparent).toBe(`00-${traceId}-${served?.spanId}-01`);
    expect(upstream.tracestate).toBe('vendor=abc');
  }, 30_000);

  it('a stream: the request span ends with the stream, carrying its usage; its attempt span is the upstream’s parent', async () => {
    const traceId = hex(16);
    const parentSpanId = hex(8);
    const { data: stream, response } = await client.chat.completions
      .create(
        { model: SEEDED_MODEL, messages, stream: true, stream_options: { include_usage: true } },
        { headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } },
      )
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.length).toBeGreaterThan(0);
    const requestId = response.headers.get('x-request-id') ?? '';
    const upstream = await lastUpstreamHeaders();
    const row = await awaitUsageRow(stack, requestId);
    const { request, children } = await traceOf(requestId, 1);
    expect(request.traceId).toBe(traceId);
    expect(request.parentSpanId).toBe(parentSpanId);
    expect(request.attributes).toMatchObject({
      'switchyard.status': 'success',
      'http.response.status_code': 200,
      'gen_ai.usage.output_tokens': row.outputTokens,
      'switchyard.cost_micros': Number(row.costMicros),
    });
    expect(row.outputTokens).toBeGreaterThan(0);
    expect(children).toHaveLength(1);
    expect(children[0]?.attributes).toMatchObject({
      'switchyard.attempt.reason': 'primary',
      'http.response.status_code': 200,
    });
    expect(upstream.traceparent).toBe(`00-${traceId}-${children[0]?.spanId}-01`);
  }, 30_000);

  it('without a traceparent (or with a malformed one) the request starts a new trace', async () => {
    for (const traceparent of [undefined, '00-not-a-trace-01', `00-${'0'.repeat(32)}-${hex(8)}-01`]) {
      const { response } = await client.chat.completions
        .create(
          { model: SEEDED_MODEL, messages },
          traceparent === undefined ? {} : { headers: { traceparent } },
        )
        .withResponse();
      const requestId = response.headers.get('x-request-id') ?? '';
      const upstream = await lastUpstreamHeaders();
      const { request, children } = await traceOf(requestId, 1);
      expect(request.parentSpanId).toBe('');
      expect(request.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(request.traceId).not.toBe('0'.repeat(32));
      expect(children).toHaveLength(1);
      expect(upstream.traceparent).toBe(`00-${request.traceId}-${children[0]?.spanId}-01`);
    }
  }, 30_000);
});
