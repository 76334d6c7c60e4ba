import { type GenerateContentResponse, GoogleGenAI } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatResponseBody } from '../canonical-chat';
import { chatResponseToGemini } from './chat-response-to-gemini';

/** Hands a body to @google/genai as if the gateway answered it, and returns what the SDK makes of it. */
async function throughSdk(body: unknown): Promise<GenerateContentResponse> {
  const ai = new GoogleGenAI({
    apiKey: 'test-key',
    httpOptions: {
      baseUrl: 'http://gateway.test',
      fetch: async () =>
        new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
    },
  });
  return ai.models.generateContent({ model: 'public-model', contents: 'hi' });
}

const completion = (
  choices: ChatResponseBody['choices'],
  usage?: ChatResponseBody['usage'],
): ChatResponseBody => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-2024-08-06',
  choices,
  ...(usage ? { usage } : {}),
});

describe('chatResponseToGemini', () => {
  it('writes text, finish reason and usage (thoughts apart) that @google/genai reads back', async () => {
    const body = chatResponseToGemini(
      completion(
        [{ index: 0, message: { role: 'assistant', content: 'Hello there.' }, finish_reason: 'stop' }],
        {
          prompt_tokens: 20,
          completion_tokens: 50,
          total_tokens: 70,
          prompt_tokens_details: { cached_tokens: 16 },
          completion_tokens_details: { reasoning_tokens: 40 },
        },
      ),
    );
    expect(body).toEqual({
      candidates: [
        { content: { role: 'model', parts: [{ text: 'Hello there.' }] }, index: 0, finishReason: 'STOP' },
      ],
      modelVersion: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-1',
      usageMetadata: {
        promptTokenCount: 20,
        candidatesTokenCount: 10,
        totalTokenCount: 70,
        cachedContentTokenCount: 16,
        thoughtsTokenCount: 40,
      },
    });
    const sdk = await throughSdk(body);
    expect(sdk.text).toBe('Hello there.');
    expect(sdk.responseId).toBe('chatcmpl-1');
    expect(sdk.candidates?.[0]?.finishReason).toBe('STOP');
    expect(sdk.usageMetadata?.thoughtsTokenCount).toBe(40);
  });

  it('writes tool calls as functionCall parts with their ids, which the SDK lists', async () => {
    const body = chatResponseToGemini(
      completion([
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_abc',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_def', type: 'function', function: { name: 'ping', arguments: '' } },
              { id: 'call_bad', type: 'function', function: { name: 'broken', arguments: '{"city":' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ]),
    );
    const sdk = await throughSdk(body);
    expect(sdk.functionCalls).toEqual([
      { id: 'call_abc', name: 'get_weather', args: { city: 'Paris' } },
      { id: 'call_def', name: 'ping', args: {} },
      { id: 'call_bad', name: 'broken', args: { arguments: '{"city":' } },
    ]);
    expect(sdk.candidates?.[0]?.finishReason).toBe('STOP');
  });

  it('writes one candidate per choice, length and content_filter mapped', () => {
    const body = chatResponseToGemini(
      completion([
        { index: 0, message: { role: 'assistant', content: 'a' }, finish_reason: 'length' },
        { index: 1, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' },
      ]),
    );
    expect(body.candidates).toEqual([
      { content: { role: 'model', parts: [{ text: 'a' }] }, index: 0, finishReason: 'MAX_TOKENS' },
      { content: { role: 'model', parts: [] }, index: 1, finishReason: 'SAFETY' },
    ]);
  });
});

describe('chatResponseToGemini on relayed garbage', () => {
  it('never throws', () => {
    const choice = fc.oneof(
      fc.jsonValue(),
      fc.record({
        index: fc.jsonValue(),
        message: fc.oneof(
          fc.jsonValue(),
          fc.record({
            content: fc.jsonValue(),
            tool_calls: fc.oneof(fc.jsonValue(), fc.array(fc.jsonValue())),
          }),
        ),
        finish_reason: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          id: fc.jsonValue(),
          model: fc.jsonValue(),
          choices: fc.oneof(fc.jsonValue(), fc.array(choice)),
          usage: fc.jsonValue(),
        }),
        (resp) => {
          const out = chatResponseToGemini(resp as unknown as ChatResponseBody);
          expect(Array.isArray(out.candidates)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
