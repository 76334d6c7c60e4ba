import { newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, budgetedKey, mockStats, type Stack, startStack, waitFor } from './stack';

let stack: Stack;

/** A small square size: the mock draws any size (OpenAI's models take a fixed list), and small PNGs keep tests fast. */
function px(side: number): OpenAI.ImageGenerateParams['size'] {
  return `${side}x${side}` as OpenAI.ImageGenerateParams['size'];
}
const PAINTER = 'mock-dall-e-3';
const PER_IMAGE = 40_000n;

beforeAll(async () => {
  stack = await startStack();
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: PAINTER,
      imageMicros: PER_IMAGE,
      effectiveFrom: new Date(Date.now() - 60_000),
    },
  });
  await stack.addRoute({
    publicModel: 'painter',
    targets: [{ accountId: stack.accountId, upstreamModel: PAINTER }],
  });
});
afterAll(async () => {
  await stack?.stop();
});

async function upstreamCalls(): Promise<number> {
  return (await mockStats(stack)).byModel[PAINTER] ?? 0;
}

describe('openai SDK × openai-compatible', () => {
  it('bad-model: 404 model_not_found in OpenAI’s shape, the SDK’s NotFoundError, with the request id', async () => {
    const error = await apiError(stack.client().images.generate({ model: 'no-such-painter', prompt: 'x' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  });
});

describe('openai-images surface: validation, budgets and limits', () => {
  it('400 naming the bad field, never sent upstream', async () => {
    const before = await upstreamCalls();
    const cases: [Record<string, unknown>, string][] = [
      [{ model: 'painter' }, 'prompt'],
      [{ model: 'painter', prompt: 'x', n: 11 }, 'n'],
      [{ model: 'painter', prompt: 'x', size: 'huge' }, 'size'],
      [{ model: 'painter', prompt: 'x', quality: 'ultra' }, 'quality'],
      [{ model: 'painter', prompt: 'x', response_format: 'gif' }, 'response_format'],
    ];
    for (const [body, param] of cases) {
      const error = await apiError(
        stack.client().images.generate(body as unknown as OpenAI.ImageGenerateParamsNonStreaming),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.param).toBe(param);
      expect(error.code).toBe('invalid_request');
    }
    const stream = await apiError(
      stack.client().images.generate({ model: 'painter', prompt: 'x', stream: true }),
    );
    expect([stream.status, stream.code, stream.param]).toEqual([400, 'unsupported_feature', 'stream']);
    expect(await upstreamCalls()).toBe(before);
  });

  it('a hard budget refuses an images request whose n × price exceeds it (429), and admits one that fits', async () => {
    const key = await budgetedKey(stack, { name: 'images hard', mode: 'hard', limitMicros: 100_000n });
    const client = stack.client(key.plaintext);
    const before = await upstreamCalls();
    // 3 × $0.04 = $0.12 > $0.10: refused before anything is sent.
    const refused = await apiError(
      client.images.generate({ model: 'painter', prompt: 'three', n: 3, size: px(16) }),
    );
    expect(refused.status).toBe(429);
    expect(refused.code).toBe('budget_exceeded');
    expect(refused.requestID).toMatch(/^req_/);
    expect(await upstreamCalls()).toBe(before);
    // 2 × $0.04 = $0.08 fits, and is billed exactly that.
    const { response } = await client.images
      .generate({ model: 'painter', prompt: 'two', n: 2, size: px(16) })
      .withResponse();
    expect(await upstreamCalls()).toBe(before + 1);
    const requestId = response.headers.get('x-request-id') ?? '';
    const row = await waitFor('usage row', () =>
      stack.prisma.usageEvent.findUnique({ where: { requestId } }),
    );
    expect(row.costMicros).toBe(2n * PER_IMAGE);
    // $0.02 left: not even one more image fits.
    await waitFor('the spend to reach the budget', async () => {
      const error = await apiError(client.images.generate({ model: 'painter', prompt: 'one', size: px(16) }));
      return error.code === 'budget_exceeded' ? error : null;
    });
  });
});
