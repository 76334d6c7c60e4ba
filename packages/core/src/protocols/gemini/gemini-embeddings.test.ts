import { GoogleGenAI } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import sdkBatch from './fixtures/sdk-batch-embed-request.json';
import {
  embeddingsRequestToGemini,
  embeddingsResponseToGemini,
  floatsToBase64,
  geminiEmbedResponseToEmbeddings,
  geminiEmbedToEmbeddingsRequest,
} from './gemini-embeddings';

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('Gemini embeddings surface', () => {
  it('translates what @google/genai embedContent sends (batchEmbedContents) and answers in a shape it reads', async () => {
    let sent: unknown;
    let answer: unknown;
    const ai = new GoogleGenAI({
      apiKey: 'test-key',
      httpOptions: {
        baseUrl: 'http://gateway.test',
        fetch: async (url, init) => {
          expect(String(url)).toBe('http://gateway.test/v1beta/models/text-embedding-004:batchEmbedContents');
          sent = JSON.parse(String(init?.body));
          return json(answer);
        },
      },
    });
    // The gateway's answer is computed from an upstream's OpenAI answer before the SDK asks.
    const upstream = {
      object: 'list',
      model: 'text-embedding-3-small',
      data: [
        { object: 'embedding', index: 1, embedding: [0.5, -0.25] },
        { object: 'embedding', index: 0, embedding: floatsToBase64([0.125, 1]) },
      ],
      usage: { prompt_tokens: 2, total_tokens: 2 },
    };
    const translated = embeddingsResponseToGemini(upstream, 'batchEmbedContents');
    if (!translated.ok) throw new Error(translated.error.message);
    answer = translated.value;
    const result = await ai.models.embedContent({
      model: 'text-embedding-004',
      contents: ['hello', 'world'],
      config: { outputDimensionality: 8, taskType: 'RETRIEVAL_DOCUMENT' },
    });
    expect(sent).toEqual(sdkBatch);
    expect(
      geminiEmbedToEmbeddingsRequest(sent, { model: 'public-embed', method: 'batchEmbedContents' }),
    ).toEqual({
      ok: true,
      value: { model: 'public-embed', input: ['hello', 'world'], dimensions: 8 },
    });
    expect(result.embeddings?.map((e) => e.values)).toEqual([
      [0.125, 1],
      [0.5, -0.25],
    ]);
  });

  it('reads a single embedContent body, parts joined by newlines', () => {
    expect(
      geminiEmbedToEmbeddingsRequest(
        {
          model: 'models/x',
          content: { parts: [{ text: 'a' }, { text: 'b' }] },
          task_type: 'RETRIEVAL_QUERY',
        },
        { model: 'public-embed', method: 'embedContent' },
      ),
    ).toEqual({ ok: true, value: { model: 'public-embed', input: 'a\nb' } });
    const single = embeddingsResponseToGemini(
      { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1, 2] }] },
      'embedContent',
    );
    expect(single).toEqual({ ok: true, value: { embedding: { values: [1, 2] } } });
  });

  it.each([
    [
      { content: { parts: [{ text: 'a' }] }, title: 'Doc' },
      'embedContent',
      'unsupported_feature',
      'body.title',
    ],
    [
      { content: { parts: [{ inlineData: { mimeType: 'image/png', data: 'x' } }] } },
      'embedContent',
      'unsupported_feature',
      'body.content.parts[0]',
    ],
    [{}, 'embedContent', 'invalid_request', 'body.content'],
    [{ requests: [] }, 'batchEmbedContents', 'invalid_request', 'requests'],
    [
      {
        requests: [
          { content: { parts: [{ text: 'a' }] }, outputDimensionality: 8 },
          { content: { parts: [{ text: 'b' }] }, outputDimensionality: 16 },
        ],
      },
      'batchEmbedContents',
      'unsupported_feature',
      'requests[1].outputDimensionality',
    ],
  ] as const)('refuses %j (%s) with %s at %s', (body, method, code, param) => {
    const result = geminiEmbedToEmbeddingsRequest(body, { model: 'm', method });
    expect(!result.ok && [result.error.code, result.error.param]).toEqual([code, param]);
  });
});

describe('Gemini embeddings adapter', () => {
  it('sends one string to embedContent and a list to batchEmbedContents', () => {
    expect(
      embeddingsRequestToGemini({ model: 'p', input: 'hi', dimensions: 256 }, 'gemini-embedding-001'),
    ).toEqual({
      ok: true,
      value: {
        method: 'embedContent',
        path: '/v1beta/models/gemini-embedding-001:embedContent',
        body: { content: { parts: [{ text: 'hi' }] }, outputDimensionality: 256 },
      },
    });
    expect(embeddingsRequestToGemini({ model: 'p', input: ['a', 'b'] }, 'gemini-embedding-001')).toEqual({
      ok: true,
      value: {
        method: 'batchEmbedContents',
        path: '/v1beta/models/gemini-embedding-001:batchEmbedContents',
        body: {
          requests: [
            { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a' }] } },
            { model: 'models/gemini-embedding-001', content: { parts: [{ text: 'b' }] } },
          ],
        },
      },
    });
    const tokens = embeddingsRequestToGemini({ model: 'p', input: [1, 2, 3] }, 'g');
    expect(!tokens.ok && [tokens.error.code, tokens.error.param]).toEqual(['unsupported_feature', 'input']);
  });

  it('answers base64 vectors as the openai SDKs decode them (their default encoding)', () => {
    const gemini = { embeddings: [{ values: [0.1, -2.5, 3] }, { values: [0, 1, 0.75] }] };
    const translated = geminiEmbedResponseToEmbeddings(gemini, {
      model: 'public-embed',
      encodingFormat: 'base64',
    });
    if (!translated.ok) throw new Error(translated.error.message);
    // openai-node's toFloat32Array: the base64 bytes read as little-endian float32.
    const decode = (text: unknown) => {
      const bytes = Buffer.from(String(text), 'base64');
      return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    };
    expect(translated.value.data.map((d) => decode(d.embedding))).toEqual([
      Array.from(new Float32Array([0.1, -2.5, 3])),
      [0, 1, 0.75],
    ]);
    const floats = geminiEmbedResponseToEmbeddings(gemini, {
      model: 'public-embed',
      encodingFormat: 'float',
    });
    expect(floats.ok && floats.value.data.map((d) => d.embedding)).toEqual([
      [0.1, -2.5, 3],
      [0, 1, 0.75],
    ]);
  });

  it('reads a single embedding with usage, and fails on garbage', () => {
    expect(
      geminiEmbedResponseToEmbeddings(
        { embedding: { values: [1, 2] }, usageMetadata: { promptTokenCount: 4 } },
        { model: 'm' },
      ),
    ).toEqual({
      ok: true,
      value: {
        object: 'list',
        model: 'm',
        data: [{ object: 'embedding', index: 0, embedding: [1, 2] }],
        usage: { prompt_tokens: 4, total_tokens: 4 },
      },
    });
    const bad = geminiEmbedResponseToEmbeddings({ embeddings: [{ values: ['x'] }] }, { model: 'm' });
    expect(!bad.ok && bad.error.code).toBe('upstream_error');
  });

  it('never throws on arbitrary JSON, either way', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom('embedContent', 'batchEmbedContents') as fc.Arbitrary<'embedContent'>,
        (body, method) => {
          expect(typeof geminiEmbedToEmbeddingsRequest(body, { model: 'm', method }).ok).toBe('boolean');
          expect(typeof embeddingsResponseToGemini(body, method).ok).toBe('boolean');
          expect(typeof embeddingsRequestToGemini(body, 'g').ok).toBe('boolean');
          expect(
            typeof geminiEmbedResponseToEmbeddings(body, { model: 'm', encodingFormat: 'base64' }).ok,
          ).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});
