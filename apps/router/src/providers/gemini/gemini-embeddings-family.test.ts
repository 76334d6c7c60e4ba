import { mockEmbedding, startMockProvider } from '@switchyard/mock-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geminiEmbeddingsFamily } from './gemini-embeddings-family';

/*
 * The handler against the mock provider's real Gemini routes (`:embedContent`, `:batchEmbedContents`): the call
 * it builds is sent as the router would send it, and the answer translated back to OpenAI's shape.
 */
let mock: Awaited<ReturnType<typeof startMockProvider>>;

beforeAll(async () => {
  mock = await startMockProvider({ port: 0 });
});
afterAll(async () => {
  await mock?.close();
});

async function roundTrip(body: Record<string, unknown>, form: 'canonical' | 'native' = 'canonical') {
  const built = geminiEmbeddingsFamily.buildCall({
    baseUrl: `${mock.origin}/v1beta/`,
    credential: 'goog-key',
    upstreamModel: 'text-embedding-004',
    body,
    form,
  });
  if (!built.ok) throw new Error(built.error.message);
  const res = await fetch(built.value.url, {
    method: 'POST',
    headers: built.value.headers,
    body: built.value.body,
  });
  expect(res.status).toBe(200);
  return { url: built.value.url, answer: (await res.json()) as Record<string, unknown> };
}

describe('gemini embeddings family', () => {
  it('one input: :embedContent, the vector back in OpenAI’s float shape', async () => {
    const request = { model: 'embed-public', input: 'hello there', encoding_format: 'float', dimensions: 12 };
    const { url, answer } = await roundTrip(request);
    expect(url).toBe(`${mock.origin}/v1beta/models/text-embedding-004:embedContent`);
    const openAi = geminiEmbeddingsFamily.toCanonicalResponse(answer, request);
    expect(openAi.ok && openAi.value).toEqual({
      object: 'list',
      model: 'embed-public',
      data: [{ object: 'embedding', index: 0, embedding: mockEmbedding('hello there', 12) }],
    });
  });

  it('several inputs: :batchEmbedContents, base64 when asked (as the openai SDK decodes it)', async () => {
    const request = { model: 'embed-public', input: ['a b', 'c d e'], encoding_format: 'base64' };
    const { url, answer } = await roundTrip(request);
    expect(url.endsWith(':batchEmbedContents')).toBe(true);
    const openAi = geminiEmbeddingsFamily.toCanonicalResponse(answer, request);
    if (!openAi.ok) throw new Error(openAi.error.message);
    const data = openAi.value.data as { embedding: string }[];
    const decoded = data.map((d) => {
      const bytes = Buffer.from(d.embedding, 'base64');
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    });
    expect(decoded).toEqual(['a b', 'c d e'].map((text) => mockEmbedding(text)));
    expect(geminiEmbeddingsFamily.readUsage(answer)).toBeNull();
  });

  it('a Gemini caller’s own body passes through to the method it names', async () => {
    const native = {
      requests: [{ model: 'models/text-embedding-004', content: { parts: [{ text: 'x y' }] } }],
    };
    const { url, answer } = await roundTrip(native, 'native');
    expect(url.endsWith(':batchEmbedContents')).toBe(true);
    expect(answer).toEqual({ embeddings: [{ values: mockEmbedding('x y') }] });
  });

  it('refuses token-id input by name, and reads Gemini’s prompt count when sent', () => {
    const built = geminiEmbeddingsFamily.buildCall({
      baseUrl: 'https://generativelanguage.googleapis.com',
      credential: 'k',
      upstreamModel: 'text-embedding-004',
      body: { model: 'm', input: [[1, 2, 3]] },
      form: 'canonical',
    });
    expect(built.ok ? null : [built.error.code, built.error.param]).toEqual(['unsupported_feature', 'input']);
    expect(
      geminiEmbeddingsFamily.readUsage({
        embedding: { values: [1] },
        usageMetadata: { promptTokenCount: 7 },
      }),
    ).toMatchObject({ inputTokens: 7, outputTokens: 0 });
    const garbage = geminiEmbeddingsFamily.toCanonicalResponse({ nope: true }, { model: 'm' });
    expect(garbage.ok).toBe(false);
  });
});
