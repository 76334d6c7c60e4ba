import { STORED_TEXT_LIMITS, type UsageEventRecord } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStorableUsageRow, storableUsageEvent } from './storable-usage-event';
import { buildUsageEvent } from './testing/build-usage-event';
import { serializeUsageEvent } from './usage-repository';
import { USAGE_ROW_COLUMNS, USAGE_ROW_VERSION, usageRowJson } from './usage-row';

// The fast check a clean event pays on the request thread, over the positional row: it may only say "storable"
// when making the event storable would change nothing, and what serializeUsageEvent returns is always storable.

/** Text from anywhere: NUL, lone surrogates, backslashes and `\u` look-alikes, over-long runs. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\\', 'u', 'd', '8', '0', 'a', 'é'),
    maxLength: 12,
  }),
  fc.constantFrom('\\u0000', '\\ud800', 'a'.repeat(129), 'é'.repeat(257), 'x'.repeat(2_049)),
);
const maybe = fc.option(hostile);

const hostileEvent: fc.Arbitrary<UsageEventRecord> = fc
  .record({
    requestId: hostile,
    keyId: maybe,
    environment: maybe,
    requestedModel: hostile,
    servedModel: maybe,
    errorClass: maybe,
    endUser: maybe,
    tags: fc.array(hostile, { maxLength: 34 }),
    metadata: fc.option(fc.dictionary(hostile, hostile, { maxKeys: 3 })),
    attemptModel: fc.option(hostile),
    attemptIds: fc.record({ targetId: hostile, accountId: hostile, providerId: hostile }),
    payload: fc.option(fc.record({ request: hostile, response: hostile })),
  })
  .map(({ attemptModel, attemptIds, payload, ...fields }) =>
    buildUsageEvent({
      ...fields,
      createdAt: 1_765_000_000_000,
      attempts:
        attemptModel === null
          ? []
          : [
              {
                ...attemptIds,
                model: attemptModel,
                status: 200,
                errorClass: null,
                latencyMs: 1,
                ttftMs: null,
                reason: 'primary',
              },
            ],
      payload: payload && { ...payload, requestTruncated: false, responseTruncated: false },
    }),
  );

/** Every string anywhere in a parsed JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...strings(v)]);
  return [];
}

const unstorable = (s: string) =>
  s.includes('\u0000') || /\p{Surrogate}/u.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''));

describe('isStorableUsageRow over the positional row', () => {
  it('says storable only when storableUsageEvent would change nothing', () => {
    fc.assert(
      fc.property(hostileEvent, (event) => {
        const json = usageRowJson(event);
        if (isStorableUsageRow(event, json)) expect(usageRowJson(storableUsageEvent(event))).toBe(json);
      }),
      { numRuns: 2_000 },
    );
  });

  it('holds an attempt whose ids are over their limit to the slow path, whatever else the event holds', () => {
    // The property above rarely reaches the attempts with every other field clean; here only they vary.
    const over = 'a'.repeat(STORED_TEXT_LIMITS.identifier + 1);
    for (const field of ['targetId', 'accountId', 'providerId'] as const) {
      const event = buildUsageEvent({
        requestId: 'req_1',
        requestedModel: 'gpt-x',
        createdAt: 1_765_000_000_000,
        attempts: [
          {
            targetId: 'tgt_1',
            accountId: 'acc_1',
            providerId: 'prv_1',
            model: 'gpt-x',
            status: 200,
            errorClass: null,
            latencyMs: 1,
            ttftMs: null,
            reason: 'primary',
            [field]: over,
          },
        ],
      });
      expect(isStorableUsageRow(event, usageRowJson(event))).toBe(false);
      const stored = JSON.parse(serializeUsageEvent(event)) as unknown[];
      const attempts = stored[USAGE_ROW_COLUMNS.indexOf('attempts') + 1] as Record<string, string>[];
      expect(attempts[0]?.[field]).toBe(over.slice(0, STORED_TEXT_LIMITS.identifier));
    }
  });

  it('serializeUsageEvent always returns a positional row jsonb accepts, every string within its limit', () => {
    fc.assert(
      fc.property(hostileEvent, (event) => {
        const row = serializeUsageEvent(event);
        const parsed = JSON.parse(row) as unknown[];
        expect(parsed).toHaveLength(USAGE_ROW_COLUMNS.length + 1);
        expect(parsed[0]).toBe(USAGE_ROW_VERSION);
        for (const s of strings(parsed)) expect(unstorable(s)).toBe(false);
        expect((parsed[1] as string).length).toBeLessThanOrEqual(STORED_TEXT_LIMITS.identifier);
        expect((parsed[5] as string).length).toBeLessThanOrEqual(STORED_TEXT_LIMITS.model);
        expect((parsed[24] as string[]).length).toBeLessThanOrEqual(STORED_TEXT_LIMITS.tags);
        // A clean event is written as it is, not through the normalising copy.
        if (isStorableUsageRow(event, usageRowJson(event))) expect(row).toBe(usageRowJson(event));
      }),
      { numRuns: 2_000 },
    );
  });
});
