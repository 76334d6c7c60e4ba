import { generateApiKey, newId } from '@switchyard/db';
import fc from 'fast-check';
import type OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awaitUsageRow, SEEDED_MODEL, type Stack, setMockFaults, startStack, waitFor } from './stack';

// Issue 12 D4 and D5: whatever `usage` an upstream reports — malformed (11.5, "11", -1, 1e300, objects) or
// incomplete ({}, {"total_tokens":18}) — the request is served and settled: one usage row, flagged
// `cost_estimated` with tokens > 0 and cost > 0 built from what the report does say; its budget hold is finished
// and its TPM reservation corrected. Real router, mock provider (its `usage` fault) and PostgreSQL; the official
// openai SDK as the client, non-streaming and streaming.

let stack: Stack;

const MESSAGES = [{ role: 'user' as const, content: 'hello there' }];

beforeAll(async () => {
  stack = await startStack();
  // The router's first estimate loads the tokenizer's ranks (seconds on a loaded machine): do it once here, so
  // the tests' row waits measure settlement, not that.
  await setMockFaults(stack, { omitUsage: true });
  const { response } = await stack
    .client()
    .chat.completions.create({ model: SEEDED_MODEL, messages: MESSAGES })
    .withResponse();
  const requestId = response.headers.get('x-request-id') ?? '';
  await waitFor('the warm-up row', () => stack.prisma.usageEvent.findUnique({ where: { requestId } }), {
    timeoutMs: 60_000,
  });
}, 120_000);
afterEach(async () => {
  await fetch(`${stack.mockOrigin}/__mock/faults`, { method: 'DELETE' });
});
afterAll(async () => {
  await stack?.stop();
});

/** Large, so one request's worst case (≈ 600 µ$ at the seeded price) and TPM reservation dwarf what it uses. */
const MAX_TOKENS = 1_000;

/**
 * A key whose hard budget holds one request's worst case but not two, and whose TPM holds two reservations but
 * not three: a request whose hold or reservation is left standing makes the next ones fail.
 */
async function tightKey(): Promise<{ client: OpenAI; id: string }> {
  const key = generateApiKey();
  const id = newId('key');
  await stack.prisma.budget.create({
    data: {
      id: newId('bud'),
      name: `tight ${id}`,
      scope: 'key',
      scopeId: id,
      period: 'total',
      mode: 'hard',
      limitMicros: 1_000n,
    },
  });
  await stack.prisma.apiKey.create({
    data: { id, name: `tight ${id}`, digest: key.digest, prefix: key.prefix, tpmLimit: 2_500 },
  });
  await waitFor('the router to know the tight key', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    return res.status === 200;
  });
  return { client: stack.client(key.plaintext), id };
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

/** One chat request, streaming or not; resolves to its request id and the text it got. */
async function chat(client: OpenAI, stream: boolean): Promise<{ requestId: string; text: string }> {
  if (!stream) {
    const { data, response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages: MESSAGES, max_tokens: MAX_TOKENS })
      .withResponse();
    return {
      requestId: response.headers.get('x-request-id') ?? '',
      text: data.choices[0]?.message.content ?? '',
    };
  }
  const { data, response } = await client.chat.completions
    .create({ model: SEEDED_MODEL, messages: MESSAGES, max_tokens: MAX_TOKENS, stream: true })
    .withResponse();
  let text = '';
  for await (const chunk of data) text += chunk.choices[0]?.delta?.content ?? '';
  return { requestId: response.headers.get('x-request-id') ?? '', text };
}

const MALFORMED: Record<string, unknown>[] = [
  { prompt_tokens: 11.5, completion_tokens: 3, total_tokens: 14.5 },
  { prompt_tokens: '11', completion_tokens: '5', total_tokens: '16' },
  { prompt_tokens: -1, completion_tokens: 5, total_tokens: 4 },
  { prompt_tokens: 1e300, completion_tokens: 1, total_tokens: 1e300 },
  { prompt_tokens: { n: 1 }, completion_tokens: [1], total_tokens: null },
  { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13, prompt_tokens_details: { cached_tokens: 2.5 } },
];

describe('malformed usage (D4)', () => {
  for (const stream of [false, true]) {
    it(`is served, estimated and fully settled (${stream ? 'stream' : 'non-streaming'})`, async () => {
      const { client } = await tightKey();
      for (const usage of MALFORMED) {
        await setMockFaults(stack, { usage });
        // Twice each: a hold or reservation left standing by the first would refuse the second.
        for (let i = 0; i < 2; i++) {
          const { requestId, text } = await chat(client, stream);
          expect(text).toMatch(/^Mock reply to: hello there/);
          const row = await usageRow(requestId);
          expect({ usage, status: row.status, costEstimated: row.costEstimated }).toEqual({
            usage,
            status: 'success',
            costEstimated: true,
          });
          expect(row.inputTokens).toBeGreaterThan(0);
          expect(row.outputTokens).toBeGreaterThan(0);
          expect(row.costMicros).toBeGreaterThan(0n);
        }
      }
    }, 60_000);
  }
});

describe('incomplete usage (D5)', () => {
  for (const stream of [false, true]) {
    it(`is an estimate built from what is known, flagged (${stream ? 'stream' : 'non-streaming'})`, async () => {
      const { client } = await tightKey();
      const settled = async (usage: unknown) => {
        await setMockFaults(stack, { usage });
        const row = await usageRow((await chat(client, stream)).requestId);
        return {
          input: row.inputTokens,
          output: row.outputTokens,
          estimated: row.costEstimated,
          cost: row.costMicros,
        };
      };

      const empty = await settled({});
      expect(empty.estimated).toBe(true);
      expect(empty.input).toBeGreaterThan(0);
      expect(empty.output).toBeGreaterThan(0);
      expect(empty.cost).toBeGreaterThan(0n);

      // Only the total: split with the estimated prompt.
      const total = await settled({ total_tokens: 18 });
      expect(total).toMatchObject({ input: empty.input, output: 18 - empty.input, estimated: true });
      expect(total.cost).toBeGreaterThan(0n);

      // One side and the total: the other is the difference.
      expect(await settled({ completion_tokens: 7, total_tokens: 20 })).toMatchObject({
        input: 13,
        output: 7,
        estimated: true,
      });
      // Only the prompt: the completion is counted from the text.
      expect(await settled({ prompt_tokens: 9 })).toMatchObject({
        input: 9,
        output: empty.output,
        estimated: true,
      });

      // A complete, valid report is billed as reported, unflagged.
      expect(await settled({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 })).toMatchObject({
        input: 9,
        output: 4,
        estimated: false,
      });
    }, 60_000);
  }
});

const MAX = 1_000_000_000;
const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX;
const absent = (v: unknown) => v === undefined || v === null;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The test's own reading of "complete and valid" (after a JSON round trip, as the router receives it). */
function completeAndValid(sent: unknown): boolean {
  const usage: unknown = JSON.parse(JSON.stringify({ usage: sent })).usage;
  if (!isRecord(usage)) return false;
  const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = usage;
  if (!isCount(p) || !isCount(c)) return false;
  if (!absent(t) && !(isCount(t) && t === p + c)) return false;
  const part = (details: unknown, field: string, within: number): boolean => {
    if (absent(details)) return true;
    if (!isRecord(details)) return false;
    const value = details[field];
    return absent(value) || (isCount(value) && value <= within);
  };
  return (
    part(usage.prompt_tokens_details, 'cached_tokens', p) &&
    part(usage.completion_tokens_details, 'reasoning_tokens', c)
  );
}

describe('any usage an upstream can report (property)', () => {
  it('serves the request, writes exactly one row of non-negative integers, flagged unless complete and valid', async () => {
    // No budget here: complete reports of up to 800 tokens cost real money, 60 times over.
    const { plaintext, id } = await stack.createKey();
    const client = stack.client(plaintext);
    const count = fc.oneof(
      fc.nat({ max: 400 }),
      fc.integer({ min: -1_000, max: -1 }),
      fc.double({ noDefaultInfinity: false }),
      fc.constantFrom(1e300, 2 ** 53, MAX + 1, 0),
      fc.string({ maxLength: 4 }),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 2 }),
      fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }),
    );
    const details = (field: string) =>
      fc.oneof(
        fc.constant(null),
        fc.record({ [field]: count }, { requiredKeys: [] }),
        fc.jsonValue({ maxDepth: 1 }),
      );
    const shaped = fc.record(
      {
        prompt_tokens: count,
        completion_tokens: count,
        total_tokens: count,
        prompt_tokens_details: details('cached_tokens'),
        completion_tokens_details: details('reasoning_tokens'),
      },
      { requiredKeys: [] },
    );
    const complete = fc
      .record({ p: fc.nat({ max: 400 }), c: fc.nat({ max: 400 }), cached: fc.nat({ max: 400 }) })
      .map(({ p, c, cached }) => ({
        prompt_tokens: p,
        completion_tokens: c,
        total_tokens: p + c,
        prompt_tokens_details: { cached_tokens: Math.min(cached, p) },
      }));
    const usage = fc.oneof(fc.jsonValue({ maxDepth: 2 }), shaped, complete);

    let requests = 0;
    await fc.assert(
      fc.asyncProperty(usage, fc.boolean(), async (reported, stream) => {
        await setMockFaults(stack, { usage: reported });
        const { requestId, text } = await chat(client, stream);
        requests++;
        expect(text).toMatch(/^Mock reply to: hello there/);
        const row = await usageRow(requestId);
        const valid = completeAndValid(reported);
        expect(row.status).toBe('success');
        for (const tokens of [
          row.inputTokens,
          row.outputTokens,
          row.cachedInputTokens,
          row.reasoningTokens,
        ]) {
          expect(Number.isSafeInteger(tokens) && tokens >= 0).toBe(true);
        }
        expect(row.costMicros).toBeGreaterThanOrEqual(0n);
        expect(row.costEstimated).toBe(!valid);
        if (valid) {
          const sent = reported as { prompt_tokens: number; completion_tokens: number };
          expect([row.inputTokens, row.outputTokens]).toEqual([sent.prompt_tokens, sent.completion_tokens]);
        }
      }),
      { numRuns: 60 },
    );
    await waitFor(
      'every row',
      async () => (await stack.prisma.usageEvent.count({ where: { keyId: id } })) === requests,
    );
    expect(await stack.prisma.usageEvent.count({ where: { keyId: id } })).toBe(requests);
  }, 120_000);
});
