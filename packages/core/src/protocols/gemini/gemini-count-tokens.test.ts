import { GoogleGenAI } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geminiCountTokensResponse, geminiCountTokensToChatRequest } from './gemini-count-tokens';

describe('Gemini countTokens surface', () => {
  it('reads what @google/genai countTokens sends and answers what it reads', async () => {
    let sent: unknown;
    const ai = new GoogleGenAI({
      apiKey: 'test-key',
      httpOptions: {
        baseUrl: 'http://gateway.test',
        fetch: async (url, init) => {
          expect(String(url)).toBe('http://gateway.test/v1beta/models/public-model:countTokens');
          sent = JSON.parse(String(init?.body));
          return new Response(JSON.stringify(geminiCountTokensResponse(42)), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          });
        },
      },
    });
    const result = await ai.models.countTokens({
      model: 'public-model',
      contents: 'How many tokens is this?',
    });
    expect(result.totalTokens).toBe(42);
    expect(geminiCountTokensToChatRequest(sent, 'public-model')).toEqual({
      ok: true,
      value: { model: 'public-model', messages: [{ role: 'user', content: 'How many tokens is this?' }] },
    });
  });

  it('reads the generateContentRequest form with its system instruction', () => {
    const result = geminiCountTokensToChatRequest(
      {
        generateContentRequest: {
          model: 'models/x',
          systemInstruction: { parts: [{ text: 'sys' }] },
          contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        },
      },
      'public-model',
    );
    expect(result.ok && result.value.messages).toEqual([
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'hi' },
    ]);
    const both = geminiCountTokensToChatRequest({ contents: [], generateContentRequest: {} }, 'm');
    expect(!both.ok && both.error.param).toBe('generateContentRequest');
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(typeof geminiCountTokensToChatRequest(body, 'm').ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });
});
