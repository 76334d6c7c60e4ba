import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, awaitUsageRow, SEEDED_MODEL, SEEDED_PRICE, type Stack, startStack } from './stack';

let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
});
afterAll(async () => {
  await stack?.stop();
});

function cost(input: number, output: number, price: { input: bigint; output: bigint }): bigint {
  return (BigInt(input) * price.input + BigInt(output) * price.output + 500_000n) / 1_000_000n;
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

/** POST /v1/completions: legacy text completions, always translated to the chat upstream. */
describe('openai SDK × openai-compatible', () => {
  it('non-stream: a text completion from the chat upstream', async () => {
    const data = await client.completions.create({
      model: SEEDED_MODEL,
      prompt: 'Complete me',
      max_tokens: 50,
    });
    expect(data.object).toBe('text_completion');
    expect(data.model).toBe(SEEDED_MODEL);
    expect(data.choices[0]?.text).toBe(
      'Mock reply to: Complete me — this is a deterministic mock completion.',
    );
    expect(data.choices[0]?.finish_reason).toBe('stop');
    // The default max_tokens of the endpoint (16) cuts a longer reply, as OpenAI's would.
    const short = await client.completions.create({
      model: SEEDED_MODEL,
      prompt: 'Complete me with a reply that is longer than sixteen words in all',
    });
    expect(short.choices[0]?.finish_reason).toBe('length');
    expect(short.usage?.completion_tokens).toBe(16);
  });

  it('usage: one row with the tokens, the cost, the surface and the translated upstream protocol', async () => {
    const { data, response } = await client.completions
      .create({ model: SEEDED_MODEL, prompt: 'Bill me', max_tokens: 50 })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      surface: 'openai-completions',
      upstreamProtocol: 'openai-chat',
      inputTokens: data.usage?.prompt_tokens,
      outputTokens: data.usage?.completion_tokens,
    });
    expect(row.costMicros).toBe(cost(row.inputTokens, row.outputTokens, SEEDED_PRICE));
  });

  it('stream: several text chunks adding up to the completion; usage only when asked', async () => {
    const stream = await client.completions.create({
      model: SEEDED_MODEL,
      prompt: 'Complete me',
      max_tokens: 50,
      stream: true,
    });
    const texts: string[] = [];
    let usage = false;
    for await (const chunk of stream) {
      if (chunk.usage) usage = true;
      texts.push(chunk.choices[0]?.text ?? '');
    }
    expect(texts.filter((t) => t.length > 0).length).toBeGreaterThan(3);
    expect(texts.join('')).toBe('Mock reply to: Complete me — this is a deterministic mock completion.');
    expect(usage).toBe(false);
    const asked = await client.completions.create({
      model: SEEDED_MODEL,
      prompt: 'Complete me',
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    const usages = [];
    for await (const chunk of asked) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toHaveLength(1);
    expect(usages[0]?.completion_tokens).toBe(12);
  });

  it("bad-model: the SDK's NotFoundError with the request id", async () => {
    const error = await apiError(client.completions.create({ model: 'no-such-model', prompt: 'hi' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('names a feature a chat model cannot honour', async () => {
    const error = await apiError(
      client.completions.create({ model: SEEDED_MODEL, prompt: 'hi', suffix: ' end' }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('suffix');
  });
});
