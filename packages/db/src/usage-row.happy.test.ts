import {
  type AttemptRecord,
  TRAFFIC_CLASSES,
  type UsageEventRecord,
  type UsageStatus,
  type WireProtocol,
} from '@switchyard/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient, type PrismaClient } from './client';
import { storableUsageEvent } from './storable-usage-event';
import { createTestDatabase, getTestPostgresServerUrl, type TestDatabase } from './testing';
import {
  createUsageBatchWriter,
  encodeUsageBatch,
  positionalUsageRow,
  serializeUsageEvent,
  type UsageBatchWriter,
  usageRowObject,
} from './usage-repository';

// Round trips through the router's real path (serialize, encode, the writer's statement on PostgreSQL) and back,
// column by column: the positional row must store exactly what the event says, as the keyed row did.

let db: TestDatabase;
let prisma: PrismaClient;
let writer: UsageBatchWriter;

beforeAll(async () => {
  db = await createTestDatabase(await getTestPostgresServerUrl());
  prisma = createPrismaClient(db.databaseUrl);
  writer = createUsageBatchWriter(db.databaseUrl);
});
afterAll(async () => {
  await writer?.close();
  await prisma?.$disconnect();
  await db?.drop();
});

/** Text a client, an upstream or older data could put in a column: any UTF-16, NUL and lone surrogates included. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom('', 'a\u0000b', 'x\ud800y', '"\\\n{}[],', '€'.repeat(300)),
  );
const int4 = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const protocol = fc.constantFrom<WireProtocol>('openai-chat', 'anthropic-messages', 'gemini-generate');

const attempt: fc.Arbitrary<AttemptRecord> = fc.record({
  targetId: text(20),
  accountId: text(20),
  providerId: text(20),
  model: text(300),
  status: fc.option(fc.integer({ min: 100, max: 599 })),
  errorClass: fc.option(fc.constantFrom('timeout', 'rate_limited', 'server_error')),
  latencyMs: int4,
  ttftMs: fc.option(int4),
  reason: fc.constantFrom('primary', 'retry_same', 'skipped'),
}) as fc.Arbitrary<AttemptRecord>;

let serial = 0;
const usageEvent: fc.Arbitrary<UsageEventRecord> = fc
  .record({
    requestId: text(20),
    keyId: fc.option(text(140)),
    teamId: fc.option(text(140)),
    environment: fc.option(text(140)),
    requestedModel: text(300),
    routeId: fc.option(text(20)),
    servedProviderId: fc.option(text(20)),
    servedAccountId: fc.option(text(20)),
    servedModel: fc.option(text(300)),
    status: fc.constantFrom<UsageStatus>('success', 'error', 'interrupted', 'client_cancelled', 'rejected'),
    errorClass: fc.option(text(140)),
    httpStatus: fc.integer({ min: 100, max: 599 }),
    latencyMs: int4,
    ttftMs: fc.option(int4),
    inputTokens: int4,
    outputTokens: int4,
    cachedInputTokens: int4,
    reasoningTokens: int4,
    cacheWriteTokens: int4,
    // Past 2^53 (exact only as text), but bounded so the hourly and daily rollups' sums of every event this file
    // inserts (60 runs × 4) stay inside int8: two near-maximal costs in one bucket overflowed and dead-lettered.
    costMicros: fc.bigInt({ min: 0n, max: 2n ** 54n }),
    costEstimated: fc.boolean(),
    unpriced: fc.boolean(),
    ownerId: fc.option(text(20)),
    tags: fc.array(text(70), { maxLength: 35 }),
    endUser: fc.option(text(300)),
    metadata: fc.option(fc.dictionary(text(30), text(2_100), { maxKeys: 4 })),
    stream: fc.boolean(),
    attempts: fc.array(attempt, { maxLength: 3 }),
    surface: fc.option(protocol),
    upstreamProtocol: fc.option(protocol),
    trafficClass: fc.option(fc.constantFrom(...TRAFFIC_CLASSES)),
    createdAt: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
    payload: fc.option(
      fc.record({
        request: text(200),
        requestTruncated: fc.boolean(),
        response: text(200),
        responseTruncated: fc.boolean(),
      }),
    ),
  })
  // Unique whatever the generated text: the request id is the idempotency key.
  .map((e) => ({ ...e, requestId: `req_${serial++}_${e.requestId}` }));

/** Every column of the stored rows, int8 as exact decimal text and created_at as epoch ms. */
async function storedRows(requestIds: string[]): Promise<Record<string, unknown>[]> {
  return prisma.$queryRawUnsafe(
    `SELECT u.request_id, key_id, team_id, environment, requested_model, route_id, served_provider_id,
       served_account_id, served_model, status::text AS status, error_class, http_status, latency_ms, ttft_ms,
       input_tokens, output_tokens, cached_input_tokens, cost_micros::text AS cost_micros, reasoning_tokens,
       cache_write_tokens, cost_estimated, unpriced, owner_id, tags, end_user, metadata, stream, attempts, surface,
       upstream_protocol, traffic_class, (extract(epoch FROM u.created_at) * 1000)::int8::text AS created_at_ms,
       CASE WHEN p.request_id IS NULL THEN NULL ELSE jsonb_build_object('request', p.request_body,
         'requestTruncated', p.request_truncated, 'response', p.response_body,
         'responseTruncated', p.response_truncated) END AS payload
     FROM usage_events u LEFT JOIN request_payloads p ON p.request_id = u.request_id
     WHERE u.request_id = ANY($1::text[]) ORDER BY u.request_id`,
    requestIds,
  );
}

/** What the event says each column holds (after the strings are made storable, as serializing does). */
function expectedRow(event: UsageEventRecord): Record<string, unknown> {
  const e = storableUsageEvent(event);
  return {
    request_id: e.requestId,
    key_id: e.keyId,
    team_id: e.teamId,
    environment: e.environment,
    requested_model: e.requestedModel,
    route_id: e.routeId,
    served_provider_id: e.servedProviderId,
    served_account_id: e.servedAccountId,
    served_model: e.servedModel,
    status: e.status,
    error_class: e.errorClass,
    http_status: e.httpStatus,
    latency_ms: e.latencyMs,
    ttft_ms: e.ttftMs,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    cached_input_tokens: e.cachedInputTokens,
    cost_micros: e.costMicros.toString(),
    reasoning_tokens: e.reasoningTokens,
    cache_write_tokens: e.cacheWriteTokens,
    cost_estimated: e.costEstimated,
    unpriced: e.unpriced,
    owner_id: e.ownerId,
    tags: e.tags,
    end_user: e.endUser,
    metadata: e.metadata,
    stream: e.stream,
    attempts: e.attempts,
    surface: e.surface,
    upstream_protocol: e.upstreamProtocol,
    traffic_class: e.trafficClass ?? null,
    created_at_ms: String(e.createdAt),
    payload: e.payload ?? null,
  };
}

const byRequestId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
  String(a.request_id) < String(b.request_id) ? -1 : String(a.request_id) > String(b.request_id) ? 1 : 0;

describe('the positional usage row', () => {
  it('stores every column of any event exactly, once: serialize, encode, insert, read back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(usageEvent, { minLength: 1, maxLength: 4 }), async (events) => {
        const batch = encodeUsageBatch(events.map(serializeUsageEvent));
        expect(await writer.write(batch)).toEqual({ inserted: events.length, deadLettered: 0 });
        // Replayed (a retried flush, a spill): nothing twice.
        expect(await writer.write(batch)).toEqual({ inserted: 0, deadLettered: 0 });
        const ids = events.map((e) => storableUsageEvent(e).requestId);
        expect(await storedRows(ids)).toEqual(events.map(expectedRow).sort(byRequestId));
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('reads back as the keyed object an operator sees in a dead letter, and converts a keyed row to itself', () => {
    fc.assert(
      fc.property(usageEvent, (event) => {
        const row = serializeUsageEvent(event);
        const named = usageRowObject(JSON.parse(row));
        const expected = { ...expectedRow(event), created_at_ms: event.createdAt };
        expect(named).toEqual(JSON.parse(JSON.stringify(expected)) as unknown);
        const legacy = JSON.stringify(named);
        expect(positionalUsageRow(legacy, JSON.parse(legacy))).toBe(row);
      }),
    );
  });
});
