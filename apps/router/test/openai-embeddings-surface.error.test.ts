import { generateApiKey, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, mockStats, type Stack, startStack, waitFor } from './stack';

let stack: Stack;
const UPSTREAM_EMBED = 'mock-text-embedding-3-small';

beforeAll(async () => {
  stack = await startStack();
  await stack.addRoute({
    publicModel: 'embed-small',
    targets: [{ accountId: stack.accountId, upstreamModel: UPSTREAM_EMBED }],
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function upstreamCalls(): Promise<number> {
  return (await mockStats(stack)).byModel[UPSTREAM_EMBED] ?? 0;
}

describe('openai SDK × openai-compatible', () => {
  it('bad-model: 404 model_not_found in OpenAI’s shape, the SDK’s NotFoundError, with the request id', async () => {
    const error = await apiError(stack.client().embeddings.create({ model: 'no-such-embedder', input: 'x' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  });
});

describe('openai-embeddings surface: validation, budgets and limits', () => {
  it('400 naming the bad field, never sent upstream', async () => {
    const before = await upstreamCalls();
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 'embed-small' }, 'input'],
      [{ model: 'embed-small', input: [] }, 'input'],
      [{ model: 'embed-small', input: ['ok', 7] }, 'input[1]'],
      [{ model: 'embed-small', input: 'x', encoding_format: 'int8' }, 'encoding_format'],
      [{ model: 'embed-small', input: 'x', dimensions: -3 }, 'dimensions'],
      [{ model: 'embed-small', input: 'x', user: 12 }, 'user'],
    ];
    for (const [body, param] of cases) {
      const error = await apiError(
        stack.client().embeddings.create(body as unknown as OpenAI.EmbeddingCreateParams),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe(param);
    }
    expect(await upstreamCalls()).toBe(before);
  });

  it('TPM counts the embedding inputs: a key’s limit refuses inputs larger than it, and admits smaller ones', async () => {
    const key = generateApiKey();
    const id = newId('key');
    await stack.prisma.apiKey.create({
      data: { id, name: 'tpm 100', digest: key.digest, prefix: key.prefix, tpmLimit: 100 },
    });
    await waitFor('the router to know the limited key', async () => {
      const res = await fetch(`${stack.routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${key.plaintext}` },
      });
      return res.status === 200;
    });
    const client = stack.client(key.plaintext);
    // 2 × 400 characters ≈ 200 tokens by the rate estimate (4 characters a token): over the 100 a minute.
    const large = await apiError(
      client.embeddings.create({ model: 'embed-small', input: ['a'.repeat(400), 'b'.repeat(400)] }),
    );
    expect(large.status).toBe(429);
    expect(large.code).toBe('rate_limited');
    // 120 token ids count as 120 tokens: over the limit too.
    const ids = await apiError(
      client.embeddings.create({ model: 'embed-small', input: Array.from({ length: 120 }, (_, i) => i + 1) }),
    );
    expect(ids.code).toBe('rate_limited');
    const { response } = await client.embeddings
      .create({ model: 'embed-small', input: 'small enough', encoding_format: 'float' })
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('100');
    // Reserved 3 tokens (12 characters / 4); the bucket shows it.
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBe(97);
  });
});
