import type { Content, GoogleGenAI, Tool } from '@google/genai';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addGeminiRoutes,
  GEMINI_COST,
  type GeminiRoutes,
  genai,
  OPENAI_COST,
  PROMPT,
  PROMPT_TOKENS,
  REPLY,
  REPLY_TOKENS,
} from './gemini-stack';
import { awaitUsageRow, type Stack, startStack } from './stack';

let stack: Stack;
let routes: GeminiRoutes;
let ai: GoogleGenAI;

beforeAll(async () => {
  stack = await startStack();
  routes = await addGeminiRoutes(stack);
  ai = genai(stack);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

interface MockRequest {
  path: string;
  headers: Record<string, string>;
  body: Record<string, unknown> | null;
}
async function lastMockRequest(): Promise<MockRequest> {
  const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
    lastRequest: MockRequest;
  };
  return stats.lastRequest;
}

const WEATHER_TOOL: Tool = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather in a city',
      parametersJsonSchema: {
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      },
    },
  ],
};

/** The Gemini tool round trip: the model calls get_weather, the caller answers, the model uses the answer. */
async function geminiToolRoundTrip(model: string) {
  const question: Content = { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] };
  const first = await ai.models.generateContent({
    model,
    contents: [question],
    config: { tools: [WEATHER_TOOL] },
  });
  expect(first.functionCalls).toHaveLength(1);
  const call = first.functionCalls?.[0];
  expect(call?.name).toBe('get_weather');
  expect(call?.args).toEqual({ city: 'mock' });
  expect(first.candidates?.[0]?.finishReason).toBe('STOP');
  const modelTurn = first.candidates?.[0]?.content as Content;
  const second = await ai.models.generateContent({
    model,
    contents: [
      question,
      modelTurn,
      {
        role: 'user',
        parts: [
          {
            functionResponse: {
              name: 'get_weather',
              ...(call?.id ? { id: call.id } : {}),
              response: { celsius: 21 },
            },
          },
        ],
      },
    ],
    config: { tools: [WEATHER_TOOL] },
  });
  expect(second.functionCalls).toBeUndefined();
  expect(second.text).toBe(
    'Mock reply using tool result: {"celsius":21} — this is a deterministic mock completion.',
  );
}

async function geminiStream(model: string) {
  const stream = await ai.models.generateContentStream({ model, contents: PROMPT });
  const texts: string[] = [];
  let requestId: string | undefined;
  let usage: { promptTokenCount?: number; candidatesTokenCount?: number } | undefined;
  let finish: string | undefined;
  for await (const chunk of stream) {
    requestId ??= chunk.sdkHttpResponse?.headers?.['x-request-id'];
    if (chunk.text) texts.push(chunk.text);
    usage = chunk.usageMetadata ?? usage;
    finish = chunk.candidates?.[0]?.finishReason ?? finish;
  }
  return { texts, requestId, usage, finish };
}

describe('@google/genai × gemini', () => {
  it('non-stream: generateContent is served by the Gemini upstream, readback headers included', async () => {
    const response = await ai.models.generateContent({ model: 'gem-flash', contents: PROMPT });
    expect(response.text).toBe(REPLY);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.modelVersion).toBe('mock-gemini-flash');
    const headers = response.sdkHttpResponse?.headers ?? {};
    expect(headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(headers['x-switchyard-provider']).toBe('mock-gemini');
    expect(headers['x-switchyard-model']).toBe('mock-gemini-flash');
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1beta/models/mock-gemini-flash:generateContent');
    expect(upstream.headers['x-goog-api-key']).toBe(`${routes.geminiCredential.slice(0, 8)}…`);
  });

  it('stream: text arrives in several events (CRLF-framed at the mock) and adds up to the answer', async () => {
    const { texts, usage, finish } = await geminiStream('gem-flash');
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe(REPLY);
    expect(finish).toBe('STOP');
    expect(usage).toMatchObject({ promptTokenCount: PROMPT_TOKENS, candidatesTokenCount: REPLY_TOKENS });
    expect((await lastMockRequest()).path).toBe(
      '/v1beta/models/mock-gemini-flash:streamGenerateContent?alt=sse',
    );
  });

  it('tools: a function call and its response make a round trip', async () => {
    await geminiToolRoundTrip('gem-flash');
  });

  it('usage: the row names the surface and the upstream protocol, with tokens and cost', async () => {
    const response = await ai.models.generateContent({ model: 'gem-flash', contents: PROMPT });
    const row = await usageRow(response.sdkHttpResponse?.headers?.['x-request-id'] as string);
    expect(row).toMatchObject({
      surface: 'gemini-generate',
      upstreamProtocol: 'gemini-generate',
      status: 'success',
      requestedModel: 'gem-flash',
      servedModel: 'mock-gemini-flash',
      servedProviderId: routes.geminiProviderId,
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costMicros: GEMINI_COST,
      costEstimated: false,
      stream: false,
    });
    const streamed = await geminiStream('gem-flash');
    const streamRow = await usageRow(streamed.requestId as string);
    expect(streamRow).toMatchObject({
      surface: 'gemini-generate',
      upstreamProtocol: 'gemini-generate',
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costMicros: GEMINI_COST,
      stream: true,
    });
  });

  it('passthrough: Gemini-only and unknown fields reach the Gemini upstream unchanged', async () => {
    const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    const response = await ai.models.generateContent({
      model: 'gem-flash',
      contents: PROMPT,
      config: { safetySettings, topK: 3, thinkingConfig: { thinkingBudget: 0 } },
    } as Parameters<GoogleGenAI['models']['generateContent']>[0]);
    expect(response.text).toBe(REPLY);
    const upstream = await lastMockRequest();
    expect(upstream.body?.safetySettings).toEqual(safetySettings);
    expect(upstream.body?.generationConfig).toEqual({ topK: 3, thinkingConfig: { thinkingBudget: 0 } });

    // A field no SDK knows yet (what a newer client would send), with the key in the query as Google's REST
    // examples do: the body goes upstream byte for byte.
    const res = await fetch(
      `${stack.routerUrl}/v1beta/models/gem-flash:generateContent?key=${stack.apiKey}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
          futureField: { a: [1] },
        }),
      },
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { candidates: unknown[] }).candidates).toHaveLength(1);
    const upstreamCall = await lastMockRequest();
    expect(upstreamCall.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
      futureField: { a: [1] },
    });
    // The caller's key (query or header) never travels upstream: the account's own key does.
    expect(upstreamCall.path).toBe('/v1beta/models/mock-gemini-flash:generateContent');
    expect(upstreamCall.headers['x-goog-api-key']).toBe(`${routes.geminiCredential.slice(0, 8)}…`);
  });
});

describe('@google/genai × gemini', () => {
  it("non-stream: countTokens is answered by the router's tokenizer, without calling an upstream", async () => {
    const tokenizer = new Tiktoken(o200kBase);
    const before = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as { requests: number };
    const counted = await ai.models.countTokens({
      model: 'gem-flash',
      contents: [
        { role: 'user', parts: [{ text: PROMPT }] },
        { role: 'model', parts: [{ text: 'Hello there' }] },
      ],
    });
    // Per message its text plus 3, plus 3 for the reply: the recipe the router estimates usage with.
    const expected = tokenizer.encode(PROMPT).length + tokenizer.encode('Hello there').length + 3 * 2 + 3;
    expect(counted.totalTokens).toBe(expected);
    const after = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as { requests: number };
    expect(after.requests).toBe(before.requests);
    await expect(ai.models.countTokens({ model: 'no-such-model', contents: PROMPT })).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe('@google/genai × openai-compatible', () => {
  it('non-stream: generateContent is translated to chat completions and back', async () => {
    const response = await ai.models.generateContent({
      model: 'gem-on-openai',
      contents: PROMPT,
      config: { systemInstruction: 'Be brief.', maxOutputTokens: 100, temperature: 0.2 },
    });
    expect(response.text).toBe(REPLY);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1/chat/completions');
    expect(upstream.body).toMatchObject({
      model: 'mock-gpt-for-gemini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: PROMPT },
      ],
      max_tokens: 100,
      temperature: 0.2,
    });
  });

  it('stream: chat chunks become Gemini events, text incremental, usage in the last', async () => {
    const { texts, usage, finish } = await geminiStream('gem-on-openai');
    expect(texts.length).toBeGreaterThan(3);
    expect(texts.join('')).toBe(REPLY);
    expect(finish).toBe('STOP');
    expect(usage).toMatchObject({
      promptTokenCount: PROMPT_TOKENS,
      candidatesTokenCount: REPLY_TOKENS,
      totalTokenCount: PROMPT_TOKENS + REPLY_TOKENS,
    });
  });

  it('tools: a function call and its response make a round trip through chat tool calls', async () => {
    await geminiToolRoundTrip('gem-on-openai');
  });

  it('usage: the row says gemini-generate in, openai-chat out, with the chat upstream price', async () => {
    const response = await ai.models.generateContent({ model: 'gem-on-openai', contents: PROMPT });
    const row = await usageRow(response.sdkHttpResponse?.headers?.['x-request-id'] as string);
    expect(row).toMatchObject({
      surface: 'gemini-generate',
      upstreamProtocol: 'openai-chat',
      status: 'success',
      servedModel: 'mock-gpt-for-gemini',
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costMicros: OPENAI_COST,
      costEstimated: false,
    });
  });
});

// Not a matrix row of this file (its surface is the OpenAI embeddings one): the Gemini adapter's embeddings.
describe('gemini adapter behind the openai-embeddings surface', () => {
  it('embeddings are translated to batchEmbedContents and back, float and base64 alike, and recorded', async () => {
    await stack.addRoute({
      publicModel: 'gem-embed',
      targets: [{ accountId: routes.geminiAccountId, upstreamModel: 'mock-embedding' }],
    });
    const openai = stack.client();
    const input = ['first text to embed', 'second one'];
    const { data, response } = await openai.embeddings
      .create({ model: 'gem-embed', input, encoding_format: 'float' })
      .withResponse();
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1beta/models/mock-embedding:batchEmbedContents');
    expect(upstream.body).toEqual({
      requests: input.map((text) => ({ model: 'models/mock-embedding', content: { parts: [{ text }] } })),
    });
    // The mock gives the same vector for the same text on every family: compare with its OpenAI route.
    const direct = (await (
      await fetch(`${stack.mockUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'x', input, encoding_format: 'float' }),
      })
    ).json()) as { data: { embedding: number[] }[] };
    expect(data.data.map((d) => d.embedding)).toEqual(direct.data.map((d) => d.embedding));
    expect(data.data.map((d) => d.index)).toEqual([0, 1]);

    // The SDK's default asks for base64 and decodes it: the same numbers.
    const decoded = await openai.embeddings.create({ model: 'gem-embed', input: input[0] as string });
    expect(decoded.data[0]?.embedding).toEqual(direct.data[0]?.embedding);
    expect((await lastMockRequest()).path).toBe('/v1beta/models/mock-embedding:embedContent');

    const row = await usageRow(response.headers.get('x-request-id') as string);
    expect(row).toMatchObject({
      surface: 'openai-embeddings',
      upstreamProtocol: 'gemini-embed',
      status: 'success',
      servedModel: 'mock-embedding',
      outputTokens: 0,
    });
    expect(row.inputTokens).toBeGreaterThan(0);
  });
});

describe('@google/genai (embedContent) × gemini', () => {
  it('non-stream: embedContent (batchEmbedContents) passes through to Gemini, the batch models replaced', async () => {
    await stack.addRoute({
      publicModel: 'gem-embed-native',
      targets: [{ accountId: routes.geminiAccountId, upstreamModel: 'mock-embedding' }],
    });
    const texts = ['first text to embed', 'second one'];
    const response = await ai.models.embedContent({ model: 'gem-embed-native', contents: texts });
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1beta/models/mock-embedding:batchEmbedContents');
    const requests = (upstream.body?.requests ?? []) as { model: string; content: unknown }[];
    expect(requests.map((r) => [r.model, r.content])).toEqual(
      texts.map((text) => ['models/mock-embedding', { parts: [{ text }], role: 'user' }]),
    );
    const direct = (await (
      await fetch(`${stack.mockUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'x', input: texts, encoding_format: 'float' }),
      })
    ).json()) as { data: { embedding: number[] }[] };
    expect(response.embeddings?.map((e) => e.values)).toEqual(direct.data.map((d) => d.embedding));
  });
});

describe('@google/genai (embedContent) × openai-compatible', () => {
  it('non-stream: embedContent is translated to /v1/embeddings and back, with a usage row', async () => {
    await stack.addRoute({
      publicModel: 'gem-embed-on-openai',
      targets: [{ accountId: stack.accountId, upstreamModel: 'mock-text-embedding-3-small' }],
    });
    const texts = ['first text to embed', 'second one'];
    const response = await ai.models.embedContent({ model: 'gem-embed-on-openai', contents: texts });
    const upstream = await lastMockRequest();
    expect(upstream.path).toBe('/v1/embeddings');
    expect(upstream.body).toMatchObject({ model: 'mock-text-embedding-3-small', input: texts });
    const direct = (await (
      await fetch(`${stack.mockUrl}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'x', input: texts, encoding_format: 'float' }),
      })
    ).json()) as { data: { embedding: number[] }[] };
    expect(response.embeddings?.map((e) => e.values)).toEqual(direct.data.map((d) => d.embedding));
    const row = await usageRow(response.sdkHttpResponse?.headers?.['x-request-id'] as string);
    expect(row).toMatchObject({
      surface: 'gemini-embed',
      upstreamProtocol: 'openai-embeddings',
      status: 'success',
      inputTokens: 6,
      outputTokens: 0,
    });
  });
});
