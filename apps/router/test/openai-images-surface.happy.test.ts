import { newId } from '@switchyard/db';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitUsageRow, mockStats, type Stack, setMockFaults, startStack } from './stack';

let stack: Stack;

/** A small square size: the mock draws any size (OpenAI's models take a fixed list), and small PNGs keep tests fast. */
function px(side: number): OpenAI.ImageGenerateParams['size'] {
  return `${side}x${side}` as OpenAI.ImageGenerateParams['size'];
}
let client: OpenAI;

/** A dall-e-like model: priced per image (256x256/standard listed, anything else at the flat price). */
const PAINTER = 'mock-dall-e-3';
const PER_IMAGE = 40_000n;
const SMALL_STANDARD = 16_000n;
/** A gpt-image model: the mock reports its tokens; priced per token. */
const TOKEN_PAINTER = 'mock-gpt-image-1';
const IMAGE_INPUT_PRICE = 5_000_000n;
const IMAGE_OUTPUT_PRICE = 40_000_000n;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const effectiveFrom = new Date(Date.now() - 60_000);
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: PAINTER,
      images: [{ size: '256x256', quality: 'standard', micros: SMALL_STANDARD.toString() }],
      imageMicros: PER_IMAGE,
      effectiveFrom,
    },
  });
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: TOKEN_PAINTER,
      inputMicrosPerMillion: IMAGE_INPUT_PRICE,
      outputMicrosPerMillion: IMAGE_OUTPUT_PRICE,
      effectiveFrom,
    },
  });
  await stack.addRoute({
    publicModel: 'painter',
    targets: [{ accountId: stack.accountId, upstreamModel: PAINTER }],
  });
  await stack.addRoute({
    publicModel: 'token-painter',
    targets: [{ accountId: stack.accountId, upstreamModel: TOKEN_PAINTER }],
  });
  await stack.addRoute({
    publicModel: 'painter-failover',
    targets: [
      { accountId: stack.accountId, upstreamModel: 'mock-painter-down', tier: 0 },
      { accountId: stack.accountId, upstreamModel: PAINTER, tier: 1 },
    ],
  });
  await setMockFaults(stack, { byModel: { 'mock-painter-down': { status: 503 } } });
});
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

/** What the mock answers when called directly with the upstream model: the router must hand over the same. */
async function direct(body: Record<string, unknown>): Promise<OpenAI.ImagesResponse> {
  const res = await fetch(`${stack.mockUrl}/images/generations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as OpenAI.ImagesResponse;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('openai SDK × openai-compatible', () => {
  it('non-stream: b64_json images are the upstream’s PNGs, n of them', async () => {
    const request = {
      prompt: 'a lighthouse at dusk',
      n: 2,
      size: px(64),
      response_format: 'b64_json',
    } as const;
    const { data, response } = await client.images.generate({ model: 'painter', ...request }).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-switchyard-model')).toBe(PAINTER);
    expect(data.data).toHaveLength(2);
    const expected = await direct({ model: PAINTER, ...request });
    expect(data.data?.map((d) => d.b64_json)).toEqual(expected.data?.map((d) => d.b64_json));
    const png = Buffer.from(data.data?.[0]?.b64_json ?? '', 'base64');
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    // Two images of one prompt differ (the mock colours each by its index).
    expect(data.data?.[0]?.b64_json).not.toBe(data.data?.[1]?.b64_json);
  });

  it('non-stream: url images point where the upstream serves them', async () => {
    const data = await client.images.generate({
      model: 'painter',
      prompt: 'a red kite',
      size: px(32),
      response_format: 'url',
    });
    const url = data.data?.[0]?.url ?? '';
    expect(url.startsWith(`${stack.mockOrigin}/__mock/images/32x32/`)).toBe(true);
    expect(data.data?.[0]?.revised_prompt).toBe('a red kite');
    const image = await fetch(url);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(
      Buffer.from(await image.arrayBuffer())
        .subarray(0, 8)
        .equals(PNG_SIGNATURE),
    ).toBe(true);
  });

  it('usage: priced per image — the flat price for an unlisted size, the listed one for 256x256/standard', async () => {
    const flat = await client.images
      .generate({ model: 'painter', prompt: 'three cats', n: 3, response_format: 'url' })
      .withResponse();
    const flatRow = await usageRow(flat.response.headers.get('x-request-id') ?? '');
    expect(flatRow).toMatchObject({
      status: 'success',
      servedModel: PAINTER,
      inputTokens: 0,
      outputTokens: 0,
      costEstimated: false,
      unpriced: false,
      surface: 'openai-images',
      upstreamProtocol: 'openai-images',
    });
    expect(flatRow.costMicros).toBe(3n * PER_IMAGE);

    const listed = await client.images
      .generate({ model: 'painter', prompt: 'two dogs', n: 2, size: '256x256', quality: 'standard' })
      .withResponse();
    const listedRow = await usageRow(listed.response.headers.get('x-request-id') ?? '');
    expect(listedRow.costMicros).toBe(2n * SMALL_STANDARD);
  });

  it('usage: priced per token when the upstream reports image tokens (gpt-image)', async () => {
    const { data, response } = await client.images
      .generate({
        model: 'token-painter',
        prompt: 'a small blue boat',
        n: 2,
        size: '1024x1024',
        quality: 'low',
      })
      .withResponse();
    // The mock's rule: input = prompt words, output = 272 tokens per low-quality 1024x1024 image.
    expect(data.usage).toMatchObject({ input_tokens: 4, output_tokens: 544, total_tokens: 548 });
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({ inputTokens: 4, outputTokens: 544, costEstimated: false, unpriced: false });
    // 4 × $5/M + 544 × $40/M = 20 + 21_760 micro-USD.
    expect(row.costMicros).toBe(4n * 5n + 544n * 40n);
  });

  it('passthrough: unknown and image-specific fields reach the upstream, the model replaced', async () => {
    await client.images.generate({
      model: 'painter',
      prompt: 'pass me',
      size: px(16),
      style: 'vivid',
      user: 'end-user-9',
      // @ts-expect-error a field the SDK does not know
      vendor_seed: 42,
    });
    const { lastRequest } = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; body: Record<string, unknown> };
    };
    expect(lastRequest.path).toBe('/v1/images/generations');
    expect(lastRequest.body).toEqual({
      model: PAINTER,
      prompt: 'pass me',
      size: px(16),
      style: 'vivid',
      user: 'end-user-9',
      vendor_seed: 42,
    });
  });

  it('failover: the primary target answers 503, the backup paints, billed per image', async () => {
    const { data, response } = await client.images
      .generate({
        model: 'painter-failover',
        prompt: 'fail over',
        size: px(16),
        response_format: 'b64_json',
      })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.data).toHaveLength(1);
    expect(Number(response.headers.get('x-switchyard-attempts'))).toBeGreaterThanOrEqual(2);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'success', servedModel: PAINTER, costMicros: PER_IMAGE });
    const recorded = row.attempts as { model: string; status: number | null }[];
    expect(recorded[0]).toMatchObject({ model: 'mock-painter-down', status: 503 });
  });
});
