import { FunctionCallingConfigMode, type GenerateContentResponse, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockEmbedding } from './embeddings';
import { type MockProvider, startMockProvider } from './start-mock-provider';

const TEXT = 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.';
const WEATHER = {
  name: 'get_weather',
  parameters: {
    type: Type.OBJECT,
    properties: {
      location: { type: Type.STRING },
      unit: { type: Type.STRING, enum: ['celsius', 'fahrenheit'] },
    },
    required: ['location', 'unit'],
  },
};
const TIME = { name: 'get_time', parameters: { type: Type.OBJECT, properties: {} } };

let mock: MockProvider;
let ai: GoogleGenAI;

beforeAll(async () => {
  mock = await startMockProvider();
  ai = new GoogleGenAI({ apiKey: 'gm-test-key-123456', httpOptions: { baseUrl: mock.origin } });
});
afterAll(() => mock.close());
beforeEach(() => mock.resetStats());

describe('Gemini generateContent', () => {
  it('answers text with exact usageMetadata (systemInstruction counts as a message)', async () => {
    const response = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'Say hello to the mock',
      config: { systemInstruction: 'You are terse.' },
    });
    expect(response.text).toBe(TEXT);
    expect(response.candidates).toEqual([
      { content: { parts: [{ text: TEXT }], role: 'model' }, finishReason: 'STOP', index: 0 },
    ]);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 14,
      candidatesTokenCount: 15,
      totalTokenCount: 29,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: 14 }],
    });
    expect(response.modelVersion).toBe('mock-gemini');
    expect(mock.stats()).toMatchObject({ byModel: { 'mock-gemini': 1 }, byKey: { 'gm-test-key-123456': 1 } });
    expect(mock.stats().lastRequest?.path).toBe('/v1beta/models/mock-gemini:generateContent');
  });

  it('streams one chunk per word over SSE; the chunks add up to the text and the last has the totals', async () => {
    const chunks: GenerateContentResponse[] = [];
    for await (const chunk of await ai.models.generateContentStream({
      model: 'mock-gemini',
      contents: 'Say hello to the mock',
      config: { systemInstruction: 'You are terse.' },
    })) {
      chunks.push(chunk);
    }
    expect(chunks).toHaveLength(15);
    expect(chunks.map((c) => c.text).join('')).toBe(TEXT);
    expect(chunks.slice(0, -1).every((c) => c.candidates?.[0]?.finishReason === undefined)).toBe(true);
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata).toMatchObject({
      promptTokenCount: 14,
      candidatesTokenCount: 15,
      totalTokenCount: 29,
    });
    expect(mock.stats().lastRequest?.path).toBe('/v1beta/models/mock-gemini:streamGenerateContent?alt=sse');
  });

  it('answers functionCall parts: the first tool, or each allowed one with mode ANY', async () => {
    const one = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'weather?',
      config: { tools: [{ functionDeclarations: [WEATHER, TIME] }] },
    });
    expect(one.functionCalls).toEqual([{ name: 'get_weather', args: { location: 'mock', unit: 'celsius' } }]);
    const both = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'weather and time?',
      config: {
        tools: [{ functionDeclarations: [WEATHER, TIME] }],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    expect(both.functionCalls?.map((c) => c.name)).toEqual(['get_weather', 'get_time']);
    expect(both.usageMetadata?.candidatesTokenCount).toBe(4);
    const forced = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'x',
      config: {
        tools: [{ functionDeclarations: [WEATHER, TIME] }],
        toolConfig: {
          functionCallingConfig: { mode: FunctionCallingConfigMode.ANY, allowedFunctionNames: ['get_time'] },
        },
      },
    });
    expect(forced.functionCalls?.map((c) => c.name)).toEqual(['get_time']);
  });

  it('answers a functionResponse with text that includes it', async () => {
    const response = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: [
        { role: 'user', parts: [{ text: 'weather?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { location: 'x' } } }] },
        {
          role: 'user',
          parts: [{ functionResponse: { name: 'get_weather', response: { temperature: 21 } } }],
        },
      ],
      config: { tools: [{ functionDeclarations: [WEATHER] }] },
    });
    expect(response.text).toBe(
      'Mock reply using tool result: {"temperature":21} — this is a deterministic mock completion.',
    );
  });

  it('honours candidateCount, maxOutputTokens and a response schema', async () => {
    const response = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'hi',
      config: { candidateCount: 2, maxOutputTokens: 3 },
    });
    expect(response.candidates?.map((c) => [c.index, c.content?.parts?.[0]?.text, c.finishReason])).toEqual([
      [0, 'Mock reply to:', 'MAX_TOKENS'],
      [1, 'Mock reply to:', 'MAX_TOKENS'],
    ]);
    expect(response.usageMetadata?.candidatesTokenCount).toBe(6);
    const json = await ai.models.generateContent({
      model: 'mock-gemini',
      contents: 'a city',
      config: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: Type.OBJECT,
          properties: { city: { type: Type.STRING } },
          required: ['city'],
        },
      },
    });
    expect(JSON.parse(json.text ?? '')).toEqual({ city: 'mock' });
  });

  it('counts tokens like promptTokenCount', async () => {
    const counted = await ai.models.countTokens({ model: 'mock-gemini', contents: 'Say hello to the mock' });
    expect(counted.totalTokens).toBe(8);
  });

  it('embeds contents with the same vectors as /v1/embeddings (batchEmbedContents, as the SDK calls it)', async () => {
    const response = await ai.models.embedContent({
      model: 'mock-embedding',
      contents: ['first text', 'second'],
      config: { outputDimensionality: 4 },
    });
    expect(response.embeddings?.map((e) => e.values)).toEqual([
      mockEmbedding('first text', 4),
      mockEmbedding('second', 4),
    ]);
    expect(mock.stats().lastRequest?.path).toBe('/v1beta/models/mock-embedding:batchEmbedContents');
  });

  it('serves :embedContent and accepts the key as ?key= (redacted in the stats)', async () => {
    const response = await fetch(
      `${mock.origin}/v1beta/models/mock-embedding:embedContent?key=gm-query-key-abcdef`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ content: { parts: [{ text: 'first text' }] } }),
      },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ embedding: { values: mockEmbedding('first text') } });
    expect(mock.stats().byKey).toEqual({ 'gm-query-key-abcdef': 1 });
    expect(mock.stats().lastRequest?.path).toBe('/v1beta/models/mock-embedding:embedContent?key=gm-query…');
  });
});

describe('Gemini list models', () => {
  it('GET /v1beta/models lists Gemini models for a keyed caller, 403 without a key', async () => {
    const keyed = await fetch(`${mock.origin}/v1beta/models`, {
      headers: { 'x-goog-api-key': 'gm-health-key' },
    });
    expect(keyed.status).toBe(200);
    const body = (await keyed.json()) as { models: { name: string }[] };
    expect(body.models.map((m) => m.name)).toEqual(['models/mock-gemini', 'models/mock-embedding']);
    expect(mock.stats().byKey['gm-health-key']).toBe(1);
    const anonymous = await fetch(`${mock.origin}/v1beta/models`);
    expect(anonymous.status).toBe(403);
    expect(((await anonymous.json()) as { error: { status: string } }).error.status).toBe(
      'PERMISSION_DENIED',
    );
  });
});
