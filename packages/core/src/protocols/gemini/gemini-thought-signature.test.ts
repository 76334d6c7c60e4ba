import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatRequestBody } from '../canonical-chat';
import { chatRequestToGemini } from './chat-request-to-gemini';
import { geminiResponseToChat } from './gemini-response-to-chat';
import { GEMINI_SKIP_SIGNATURE, geminiSignatureOf, withGeminiSignature } from './gemini-thought-signature';

const context = { model: 'public', created: 1, fallbackId: 'x' };

/** A tool loop's second request: the caller sends back the assistant turn it got, and the tool's answer. */
function followUp(
  toolCalls: NonNullable<ChatRequestBody['messages'][number]['tool_calls']>,
): ChatRequestBody {
  return {
    model: 'public',
    messages: [
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: null, tool_calls: toolCalls },
      ...toolCalls.map((call) => ({
        role: 'tool' as const,
        tool_call_id: call.id,
        content: '{"celsius":21}',
      })),
    ],
  };
}

describe('Gemini thought signatures through OpenAI-shaped callers', () => {
  it('hands the signature of a call back to Gemini on the next turn, byte for byte', () => {
    const signature = 'Cp8BAb+/x3Q=';
    const answer = geminiResponseToChat(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                {
                  functionCall: { name: 'get_weather', args: { city: 'Paris' } },
                  thoughtSignature: signature,
                },
                { functionCall: { name: 'get_weather', args: { city: 'Lyon' } } },
              ],
            },
            finishReason: 'STOP',
          },
        ],
      },
      context,
    );
    if (!answer.ok) throw new Error(answer.error.message);
    const calls = answer.value.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => c.id)).toEqual(['call_0__gts__Cp8BAb-_x3Q', 'call_1']);
    expect(calls[0]?.id).toMatch(/^[A-Za-z0-9_-]+$/);
    const next = chatRequestToGemini(followUp(calls), 'gemini-3-pro-preview');
    expect(next.ok && next.value.body.contents[1]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: signature },
        { functionCall: { name: 'get_weather', args: { city: 'Lyon' } } },
      ],
    });
  });

  it('marks unsigned calls with the documented skip value for Gemini 3 and later only', () => {
    const calls = [{ id: 'toolu_01', type: 'function' as const, function: { name: 'f', arguments: '{}' } }];
    const strict = chatRequestToGemini(followUp(calls), 'gemini-3-flash');
    expect(strict.ok && strict.value.body.contents[1]?.parts[0]?.thoughtSignature).toBe(
      GEMINI_SKIP_SIGNATURE,
    );
    const older = chatRequestToGemini(followUp(calls), 'gemini-2.5-flash');
    expect(older.ok && older.value.body.contents[1]?.parts[0]).toEqual({
      functionCall: { name: 'f', args: {} },
    });
  });

  it('any base64 signature survives the id and back', () => {
    fc.assert(
      fc.property(
        fc.base64String({ minLength: 4 }),
        fc.stringMatching(/^[A-Za-z0-9_-]{1,30}$/),
        (signature, id) => {
          fc.pre(!id.includes('__gts__'));
          const carried = withGeminiSignature(id, signature);
          expect(carried).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(geminiSignatureOf(carried)).toBe(signature);
        },
      ),
    );
    expect(withGeminiSignature('call_0', 'not base64!')).toBe('call_0');
    expect(geminiSignatureOf('call_0')).toBeNull();
  });
});
