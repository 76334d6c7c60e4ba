import { newId } from '@switchyard/db';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitUsageRow, mockStats, type Stack, setMockFaults, startStack } from './stack';

let stack: Stack;
let client: OpenAI;
const tokenizer = new Tiktoken(o200kBase);
const HOUR = 3_600_000;

/** Creates a route (with its billing policies) on the seeded account and waits until the router serves it. */
async function route(
  publicModel: string,
  targets: { upstreamModel: string; tier?: number; accountId?: string }[],
  policy: { missingPricePolicy?: 'block' | 'allow'; allowCostlierFallback?: boolean } = {},
): Promise<void> {
  await stack.prisma.route.create({
    data: {
      id: newId('rt'),
      publicModel,
      ...policy,
      targets: {
        create: targets.map((t) => ({
          id: newId('tgt'),
          accountId: t.accountId ?? stack.accountId,
          upstreamModel: t.upstreamModel,
          tier: t.tier ?? 0,
        })),
      },
    },
  });
  await stack.awaitModels((models) => models.includes(publicModel));
}

/** A price row of the mock provider (or a catalog row when `vendor` is given), micro-USD per million tokens. */
async function price(model: string, input: bigint, output: bigint, effectiveFrom: number, vendor?: string) {
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: vendor ? null : stack.providerId,
      vendor: vendor ?? null,
      model,
      inputMicrosPerMillion: input,
      outputMicrosPerMillion: output,
      effectiveFrom: new Date(effectiveFrom),
    },
  });
}

function usageRow(requestId: string) {
  return awaitUsageRow(stack, requestId);
}

const PROMPT = 'Price this request exactly please';
const messages = [{ role: 'user' as const, content: PROMPT }];

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const now = Date.now();
  // Three rows of history for one model: the one in force now must price the requests.
  await price('mock-cost', 1_000_000n, 2_000_000n, Date.parse('2020-01-01T00:00:00Z'));
  await price('mock-cost', 3_000_000n, 7_000_000n, now - HOUR);
  await price('mock-cost', 100_000_000n, 100_000_000n, now + 24 * HOUR);
  await price('mock-estimated', 1_000_000n, 2_000_000n, now - HOUR);
  // Only a catalog row prices this model id; two vendors, the compatible provider takes the first by name.
  await price('catalog-model-x', 5_000_000n, 5_000_000n, now - HOUR, 'qwen');
  await price('catalog-model-x', 2_000_000n, 4_000_000n, now - HOUR, 'deepseek');
  await price('mock-cheap', 1_000_000n, 1_000_000n, now - HOUR);
  await price('mock-dear', 5_000_000n, 5_000_000n, now - HOUR);
  await route('cost-model', [{ upstreamModel: 'mock-cost' }]);
  await route('estimated-model', [{ upstreamModel: 'mock-estimated' }]);
  await route('catalog-model', [{ upstreamModel: 'catalog-model-x' }]);
  await route('free-model', [{ upstreamModel: 'mock-free' }], { missingPricePolicy: 'allow' });
  await route('blocked-model', [{ upstreamModel: 'mock-blocked' }], { missingPricePolicy: 'block' });
  await route(
    'frugal-model',
    [
      { upstreamModel: 'mock-cheap', tier: 0 },
      { upstreamModel: 'mock-dear', tier: 1 },
    ],
    { allowCostlierFallback: false },
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe('cost per request', () => {
  it('bills a non-streaming request: reported tokens × the price in force at request time', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'cost-model', messages })
      .withResponse();
    const input = data.usage?.prompt_tokens ?? -1;
    const output = data.usage?.completion_tokens ?? -1;
    // The mock's arithmetic: 3 per message + 5 words; the reply echoes them after "Mock reply to:".
    expect(input).toBe(8);
    expect(output).toBeGreaterThan(5);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      inputTokens: input,
      outputTokens: output,
      reasoningTokens: 0,
      costMicros: BigInt(3 * input + 7 * output),
      costEstimated: false,
      unpriced: false,
    });
  });

  it('bills a stream from its usage chunk the same way', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'cost-model', messages, stream: true, stream_options: { include_usage: true } })
      .withResponse();
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of data) if (chunk.usage) usage = chunk.usage;
    expect(usage?.prompt_tokens).toBe(8);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      stream: true,
      inputTokens: 8,
      outputTokens: usage?.completion_tokens,
      costMicros: BigInt(3 * 8 + 7 * (usage?.completion_tokens ?? 0)),
      costEstimated: false,
    });
  });

  it('prices a model only the catalog knows, from the first vendor by name', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'catalog-model', messages })
      .withResponse();
    const input = data.usage?.prompt_tokens ?? 0;
    const output = data.usage?.completion_tokens ?? 0;
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    // deepseek (2/4) before qwen (5/5).
    expect(row.costMicros).toBe(BigInt(2 * input + 4 * output));
    expect(row.unpriced).toBe(false);
  });
});

describe('estimated usage', () => {
  // The router counts with o200k_base: 3 for the reply + (3 + the message's tokens) per message.
  const promptTokens = 3 + 3 + tokenizer.encode(PROMPT).length;

  it('estimates a non-streaming reply without usage and flags the row', async () => {
    await setMockFaults(stack, { byModel: { 'mock-estimated': { omitUsage: true } } });
    const { data, response } = await client.chat.completions
      .create({ model: 'estimated-model', messages })
      .withResponse();
    expect(data.usage).toBeUndefined();
    const output = tokenizer.encode(data.choices[0]?.message.content ?? '').length;
    expect(output).toBeGreaterThan(5);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      inputTokens: promptTokens,
      outputTokens: output,
      costMicros: BigInt(promptTokens + 2 * output),
      costEstimated: true,
      unpriced: false,
    });
  });

  it('estimates a stream without a usage chunk from the streamed text', async () => {
    await setMockFaults(stack, { byModel: { 'mock-estimated': { omitUsage: true } } });
    const { data, response } = await client.chat.completions
      .create({
        model: 'estimated-model',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      })
      .withResponse();
    let text = '';
    for await (const chunk of data) {
      expect(chunk.usage ?? null).toBeNull();
      text += chunk.choices[0]?.delta.content ?? '';
    }
    const output = tokenizer.encode(text).length;
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      stream: true,
      inputTokens: promptTokens,
      outputTokens: output,
      costMicros: BigInt(promptTokens + 2 * output),
      costEstimated: true,
    });
    await setMockFaults(stack, {});
  });
});

describe('missing prices and costlier fallback', () => {
  it('serves an unpriced model under policy allow, flagging the row at cost 0', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'free-model', messages })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      inputTokens: data.usage?.prompt_tokens,
      outputTokens: data.usage?.completion_tokens,
      costMicros: 0n,
      unpriced: true,
      costEstimated: false,
    });
  });

  it('refuses an unpriced model under policy block before forwarding, naming it', async () => {
    const error = await client.chat.completions
      .create({ model: 'blocked-model', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(503);
    expect(apiError.code).toBe('price_missing');
    expect(apiError.message).toContain("'blocked-model'");
    expect(apiError.message).toContain("'mock-blocked'");
    const row = await usageRow(apiError.headers?.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'rejected', httpStatus: 503, errorClass: 'price_missing' });
    expect((await mockStats(stack)).byModel['mock-blocked']).toBeUndefined();
  });

  it('does not fall back to a costlier target when the route forbids it', async () => {
    await setMockFaults(stack, { byModel: { 'mock-cheap': { status: 500 } } });
    const error = await client.chat.completions
      .create({ model: 'frugal-model', messages })
      .catch((e: unknown) => e);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
    const stats = await mockStats(stack);
    expect(stats.byModel['mock-cheap']).toBeGreaterThanOrEqual(1);
    expect(stats.byModel['mock-dear']).toBeUndefined();
    await setMockFaults(stack, {});
  });
});
