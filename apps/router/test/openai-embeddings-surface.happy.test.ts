import { newId } from '@switchyard/db';
import { countEmbeddingInputTokens, mockEmbedding } from '@switchyard/mock-provider';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import { awaitUsageRow, mockStats, type Stack, setMockFaults, startStack } from './stack';

let stack: Stack;
let client: OpenAI;

/** micro-USD per million input tokens of the embedding model; embeddings have no output price. */
const EMBED_INPUT_PRICE = 20_000n;
const EMBED_MODEL = 'embed-small';
const UPSTREAM_EMBED = 'mock-text-embedding-3-small';
/** A route to an Azure OpenAI embeddings deployment on the mock, and one failing over to it. */
const AZURE_EMBED = 'embed-azure';
const AZURE_DEPLOYMENT = 'embed-deployment';
let azureProviderId = '';

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: UPSTREAM_EMBED,
      inputMicrosPerMillion: EMBED_INPUT_PRICE,
      effectiveFrom: new Date(Date.now() - 60_000),
    },
  });
  await stack.addRoute({
    publicModel: EMBED_MODEL,
    targets: [{ accountId: stack.accountId, upstreamModel: UPSTREAM_EMBED }],
  });
  // Tier 0 answers 503 (the mock's byModel fault below), tier 1 serves.
  await stack.addRoute({
    publicModel: 'embed-failover',
    targets: [
      { accountId: stack.accountId, upstreamModel: 'mock-embed-down', tier: 0 },
      { accountId: stack.accountId, upstreamModel: UPSTREAM_EMBED, tier: 1 },
    ],
  });
  await setMockFaults(stack, {
    byModel: { 'mock-embed-down': { status: 503 }, 'embed-deployment-gone': { status: 404 } },
  });
  // Azure's base URL is the resource endpoint: the mock's origin, no /v1.
  const azure = await addProvider(stack, {
    name: 'embed-azure',
    kind: 'azure_openai',
    baseUrl: stack.mockOrigin,
    models: [AZURE_DEPLOYMENT, 'embed-deployment-gone'],
    price: { input: EMBED_INPUT_PRICE * 1000n, output: 0n },
  });
  azureProviderId = azure.providerId;
  await stack.addRoute({
    publicModel: AZURE_EMBED,
    targets: [{ accountId: azure.accountId, upstreamModel: AZURE_DEPLOYMENT }],
  });
  await stack.addRoute({
    publicModel: 'embed-azure-gone',
    targets: [{ accountId: azure.accountId, upstreamModel: 'embed-deployment-gone' }],
  });
  await stack.addRoute({
    publicModel: 'embed-azure-failover',
    targets: [
      { accountId: stack.accountId, upstreamModel: 'mock-embed-down', tier: 0 },
      { accountId: azure.accountId, upstreamModel: AZURE_DEPLOYMENT, tier: 1 },
    ],
  });
});
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const INPUTS = ['The quick brown fox', 'jumps over the lazy dog today'];

describe('openai SDK × openai-compatible', () => {
  it('non-stream: float vectors are the upstream mock’s, in input order, with dimensions passed through', async () => {
    const { data, response } = await client.embeddings
      .create({ model: EMBED_MODEL, input: INPUTS, encoding_format: 'float', dimensions: 16 })
      .withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(response.headers.get('x-switchyard-model')).toBe(UPSTREAM_EMBED);
    expect(data.object).toBe('list');
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);
    expect(data.data.map((d) => d.embedding)).toEqual(INPUTS.map((text) => mockEmbedding(text, 16)));
    expect(data.data[0]?.embedding).toHaveLength(16);
  });

  it('non-stream: base64 (the SDK default, decoded by the SDK) gives the very same vectors', async () => {
    const data = await client.embeddings.create({ model: EMBED_MODEL, input: INPUTS[0] as string });
    const sent = (await mockStats(stack)) as unknown as { lastRequest: { body: Record<string, unknown> } };
    // The SDK asked for base64 and the router passed it on; the SDK decoded the answer back to floats.
    expect(sent.lastRequest.body.encoding_format).toBe('base64');
    expect(data.data[0]?.embedding).toEqual(mockEmbedding(INPUTS[0] as string));
    expect(data.data[0]?.embedding).toHaveLength(8);
  });

  it('non-stream: token-id inputs are embedded as the upstream embeds them', async () => {
    const tokens = [[9906, 1917], [15339]];
    const data = await client.embeddings.create({
      model: EMBED_MODEL,
      input: tokens,
      encoding_format: 'float',
    });
    expect(data.data.map((d) => d.embedding)).toEqual(tokens.map((t) => mockEmbedding(t)));
    expect(data.usage.prompt_tokens).toBe(3);
  });

  it('usage: a row with the surface, the upstream protocol, input tokens, 0 output, cost = input × price', async () => {
    const { data, response } = await client.embeddings
      .create({ model: EMBED_MODEL, input: INPUTS, encoding_format: 'float' })
      .withResponse();
    const expectedTokens = INPUTS.reduce((sum, text) => sum + countEmbeddingInputTokens(text), 0);
    expect(data.usage).toEqual({ prompt_tokens: expectedTokens, total_tokens: expectedTokens });
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      keyId: stack.apiKeyId,
      requestedModel: EMBED_MODEL,
      servedModel: UPSTREAM_EMBED,
      status: 'success',
      httpStatus: 200,
      stream: false,
      inputTokens: expectedTokens,
      outputTokens: 0,
      costEstimated: false,
      unpriced: false,
      surface: 'openai-embeddings',
      upstreamProtocol: 'openai-embeddings',
    });
    // 10 tokens × $0.02/M = 0.2 micro-USD: exact pico arithmetic, rounded half up once (to 0 here).
    expect(row.costMicros).toBe((BigInt(expectedTokens) * EMBED_INPUT_PRICE + 500_000n) / 1_000_000n);
  });

  it('usage: cost of a large input is its tokens × the input price', async () => {
    const input = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const { response } = await client.embeddings
      .create({ model: EMBED_MODEL, input, encoding_format: 'float' })
      .withResponse();
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.inputTokens).toBe(400);
    expect(row.costMicros).toBe(8n); // 400 × 20_000 / 1e6
  });

  it('passthrough: unknown fields and the caller’s own fields reach the upstream, the model replaced', async () => {
    await client.embeddings.create({
      model: EMBED_MODEL,
      input: 'pass me through',
      encoding_format: 'float',
      user: 'end-user-7',
      // @ts-expect-error a field the SDK does not know, as a newer API version or a compatible server would take
      vendor_extension: { truncate: 'END' },
    });
    const { lastRequest } = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; body: Record<string, unknown> };
    };
    expect(lastRequest.path).toBe('/v1/embeddings');
    expect(lastRequest.body).toEqual({
      model: UPSTREAM_EMBED,
      input: 'pass me through',
      encoding_format: 'float',
      user: 'end-user-7',
      vendor_extension: { truncate: 'END' },
    });
  });

  it('failover: the primary target answers 503, the backup serves, the row records both attempts', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'embed-failover', input: 'fail over me', encoding_format: 'float' })
      .withResponse();
    expect(response.status).toBe(200);
    expect(data.data[0]?.embedding).toEqual(mockEmbedding('fail over me'));
    expect(response.headers.get('x-switchyard-model')).toBe(UPSTREAM_EMBED);
    const attempts = Number(response.headers.get('x-switchyard-attempts'));
    expect(attempts).toBeGreaterThanOrEqual(2);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.status).toBe('success');
    expect(row.servedModel).toBe(UPSTREAM_EMBED);
    const recorded = row.attempts as { model: string; status: number | null }[];
    expect(recorded[0]).toMatchObject({ model: 'mock-embed-down', status: 503 });
    expect(recorded.at(-1)).toMatchObject({ model: UPSTREAM_EMBED, status: 200 });
  });
});

describe('openai SDK × azure-openai', () => {
  it('non-stream: embeddings go to the deployment URL with api-key and api-version, vectors come back as sent', async () => {
    const { data, response } = await client.embeddings
      .create({ model: AZURE_EMBED, input: INPUTS, encoding_format: 'float' })
      .withResponse();
    expect(response.headers.get('x-switchyard-provider')).toBe('embed-azure');
    expect(data.data.map((d) => d.embedding)).toEqual(INPUTS.map((text) => mockEmbedding(text)));
    const { lastRequest } = (await mockStats(stack)) as unknown as {
      lastRequest: { path: string; headers: Record<string, string>; body: Record<string, unknown> };
    };
    expect(lastRequest.path).toBe(
      `/openai/deployments/${AZURE_DEPLOYMENT}/embeddings?api-version=2024-10-21`,
    );
    // The mock's stats keep a credential's first 8 characters only.
    expect(lastRequest.headers['api-key']).toBe('sk-upstr…');
    expect((await mockStats(stack)).byKey['sk-upstream-embed-azure']).toBeGreaterThanOrEqual(1);
    expect(lastRequest.headers.authorization).toBeUndefined();
    expect(lastRequest.body).toMatchObject({ model: AZURE_DEPLOYMENT, input: INPUTS });
  });

  it('usage: a row with the input tokens, priced at the Azure deployment', async () => {
    const { data, response } = await client.embeddings
      .create({ model: AZURE_EMBED, input: INPUTS, encoding_format: 'float' })
      .withResponse();
    const expectedTokens = INPUTS.reduce((sum, text) => sum + countEmbeddingInputTokens(text), 0);
    expect(data.usage.prompt_tokens).toBe(expectedTokens);
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      servedProviderId: azureProviderId,
      servedModel: AZURE_DEPLOYMENT,
      status: 'success',
      inputTokens: expectedTokens,
      outputTokens: 0,
      costEstimated: false,
      surface: 'openai-embeddings',
      upstreamProtocol: 'openai-embeddings',
    });
    expect(row.costMicros).toBe((BigInt(expectedTokens) * EMBED_INPUT_PRICE * 1000n + 500_000n) / 1_000_000n);
    expect(row.costMicros).toBeGreaterThan(0n);
  });

  it("bad-model: Azure's 404 for a deployment is the SDK's NotFoundError, with the request id, not retried", async () => {
    const before = (await mockStats(stack)).byModel['embed-deployment-gone'] ?? 0;
    const error = await client.embeddings
      .create({ model: 'embed-azure-gone', input: 'hello' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect((await mockStats(stack)).byModel['embed-deployment-gone']).toBe(before + 1);
  });

  it('failover: the OpenAI-compatible primary answers 503, the Azure deployment serves', async () => {
    const { data, response } = await client.embeddings
      .create({ model: 'embed-azure-failover', input: INPUTS[0] as string, encoding_format: 'float' })
      .withResponse();
    expect(data.data[0]?.embedding).toEqual(mockEmbedding(INPUTS[0] as string));
    expect(response.headers.get('x-switchyard-provider')).toBe('embed-azure');
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    const attempts = row.attempts as { status: number | null; providerId: string }[];
    expect(attempts.at(-1)).toMatchObject({ status: 200, providerId: azureProviderId });
    expect(attempts.slice(0, -1).every((attempt) => attempt.status === 503)).toBe(true);
  });
});
