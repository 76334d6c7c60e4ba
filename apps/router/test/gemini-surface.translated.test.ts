import { ApiError, type Content, type GoogleGenAI, type Tool } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addCrossFamilyUpstreams,
  expectedCost,
  lastMockRequest,
  OTHER,
  PROMPT,
  PROMPT_TOKENS,
  REPLY,
  REPLY_TOKENS,
  type UpstreamKind,
  type UpstreamUnderTest,
} from './cross-family-stack';
import { genai } from './gemini-stack';
import { awaitUsageRow, type Stack, startStack } from './stack';

/**
 * The gemini surface's cells (issue 13) toward an Anthropic upstream: `@google/genai` as the client, the mock
 * speaking Anthropic Messages. generateContent → canonical chat → Messages, and back. (Gemini and
 * OpenAI-compatible upstreams: gemini-surface.happy/error.test.ts.)
 */

let stack: Stack;
let ai: GoogleGenAI;
let upstreams: Record<UpstreamKind, UpstreamUnderTest>;
let anthropic: UpstreamUnderTest;

beforeAll(async () => {
  stack = await startStack();
  ai = genai(stack);
  upstreams = await addCrossFamilyUpstreams(stack);
  anthropic = upstreams.anthropic;
}, 90_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const WEATHER_TOOL: Tool = {
  functionDeclarations: [
    {
      name: 'get_weather',
      description: 'Weather in a city',
      parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  ],
};

describe('@google/genai × anthropic', () => {
  it('non-stream: generateContent answered by the Anthropic upstream, systemInstruction sent as system', async () => {
    const response = await ai.models.generateContent({
      model: anthropic.model,
      contents: PROMPT,
      config: { systemInstruction: 'Be terse.', maxOutputTokens: 300 },
    });
    expect(response.text).toBe(REPLY);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.promptTokenCount).toBe(PROMPT_TOKENS + 5);
    expect(response.usageMetadata?.candidatesTokenCount).toBe(REPLY_TOKENS);
    expect(response.sdkHttpResponse?.headers?.['x-switchyard-provider']).toBe(anthropic.providerName);
    const seen = await lastMockRequest(stack);
    expect(seen.path).toMatch(anthropic.mockPath);
    expect(seen.body).toMatchObject({
      model: anthropic.upstreamModel,
      system: 'Be terse.',
      max_tokens: 300,
      messages: [{ role: 'user', content: PROMPT }],
    });
  });

  it('stream: Anthropic events become Gemini chunks, the text incremental, usage in the last', async () => {
    const stream = await ai.models.generateContentStream({ model: anthropic.model, contents: PROMPT });
    const texts: string[] = [];
    let usage: { promptTokenCount?: number; candidatesTokenCount?: number } | undefined;
    let finish: string | undefined;
    for await (const chunk of stream) {
      if (chunk.text) texts.push(chunk.text);
      usage = chunk.usageMetadata ?? usage;
      finish = chunk.candidates?.[0]?.finishReason ?? finish;
    }
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('')).toBe(REPLY);
    expect(finish).toBe('STOP');
    expect(usage?.promptTokenCount).toBe(PROMPT_TOKENS);
    expect(usage?.candidatesTokenCount).toBe(REPLY_TOKENS);
  });

  it('tools: functionCall out, functionResponse in (a tool_result for Anthropic), the answer uses it', async () => {
    const question: Content = { role: 'user', parts: [{ text: 'What is the weather in Paris?' }] };
    const first = await ai.models.generateContent({
      model: anthropic.model,
      contents: [question],
      config: { tools: [WEATHER_TOOL] },
    });
    expect(first.functionCalls).toHaveLength(1);
    const call = first.functionCalls?.[0];
    expect(call?.name).toBe('get_weather');
    expect(call?.args).toEqual({ city: 'mock' });
    const second = await ai.models.generateContent({
      model: anthropic.model,
      contents: [
        question,
        first.candidates?.[0]?.content as Content,
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
    const messages = (await lastMockRequest(stack)).body.messages as { role: string; content: unknown }[];
    const toolUse = (messages.at(-2)?.content as { type: string; id: string }[] | undefined)?.[0];
    expect(toolUse).toMatchObject({ type: 'tool_use', name: 'get_weather', input: { city: 'mock' } });
    expect(messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: toolUse?.id, content: '{"celsius":21}' }],
    });
  });

  it('a setting Anthropic cannot honour is a 400 naming the Gemini field, never sent upstream', async () => {
    const res = await fetch(`${stack.routerUrl}/v1beta/models/${anthropic.model}:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': stack.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: PROMPT }] }],
        generationConfig: { candidateCount: 2 },
      }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { status: string; message: string; details?: unknown[] } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(JSON.stringify(body.error.details)).toContain('generationConfig.candidateCount');
    expect(JSON.stringify(body.error.details)).not.toContain('"field":"n"');
  });

  it('usage: the row says gemini-generate in, anthropic-messages out, with the tokens and their cost', async () => {
    const response = await ai.models.generateContent({ model: anthropic.model, contents: PROMPT });
    const row = await usageRow(response.sdkHttpResponse?.headers?.['x-request-id'] ?? '');
    expect(row).toMatchObject({
      status: 'success',
      surface: 'gemini-generate',
      upstreamProtocol: 'anthropic-messages',
      servedProviderId: anthropic.providerId,
      servedModel: anthropic.upstreamModel,
      inputTokens: PROMPT_TOKENS,
      outputTokens: REPLY_TOKENS,
      costEstimated: false,
    });
    expect(row.costMicros).toBe(expectedCost(PROMPT_TOKENS, REPLY_TOKENS));
  });

  it("bad-model: Anthropic's 404 reaches the Gemini caller as ApiError 404 NOT_FOUND, with the request id", async () => {
    const error = await ai.models
      .generateContent({ model: anthropic.missingModel, contents: PROMPT })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toContain('NOT_FOUND');
    expect((error as ApiError).message).toMatch(/req_[0-9a-f]{32}/);
  });

  it('failover: the Anthropic primary answers 503, the Gemini backup serves the Gemini caller natively', async () => {
    const response = await ai.models.generateContent({ model: anthropic.failoverModel, contents: PROMPT });
    expect(response.text).toBe(REPLY);
    const headers = response.sdkHttpResponse?.headers ?? {};
    const backup = upstreams[OTHER.anthropic];
    expect(headers['x-switchyard-provider']).toBe(backup.providerName);
    const row = await usageRow(headers['x-request-id'] ?? '');
    expect(row.upstreamProtocol).toBe('gemini-generate');
    expect(row.attempts).toMatchObject([
      { status: 503, providerId: anthropic.providerId },
      { status: 503, providerId: anthropic.providerId },
      { status: 200, providerId: backup.providerId },
    ]);
  });
});
