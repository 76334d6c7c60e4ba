import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatRequestBody } from '../canonical-chat';
import { chatRequestToResponses } from './chat-request-to-responses';

const base: ChatRequestBody = { model: 'public', messages: [{ role: 'user', content: 'Hi' }] };

describe('chatRequestToResponses', () => {
  it('writes system as instructions, tools flat (not strict unless asked), format, caps; stores nothing unasked', () => {
    const result = chatRequestToResponses(
      {
        model: 'public',
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }],
          },
        ],
        max_completion_tokens: 300,
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'out', schema: { type: 'object' }, strict: true },
        },
        reasoning_effort: 'low',
      },
      'gpt-4.1-mini',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        body: {
          model: 'gpt-4.1-mini',
          instructions: 'Be brief.',
          input: [
            { role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA' }] },
          ],
          store: false,
          max_output_tokens: 300,
          stream: true,
          tools: [{ type: 'function', name: 'f', parameters: { type: 'object' }, strict: false }],
          tool_choice: { type: 'function', name: 'f' },
          text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
          reasoning: { effort: 'low' },
        },
      },
    });
  });

  it.each([
    [{ ...base, stop: ['\n'] }, 'stop', /stop sequences/],
    [{ ...base, n: 2 }, 'n', /n above 1/],
    [{ ...base, presence_penalty: 0.5 }, 'presence_penalty', /presence_penalty/],
    [{ ...base, seed: 7 }, 'seed', /seed/],
    [{ ...base, logprobs: true }, 'logprobs', /logprobs/],
    [{ ...base, messages: [{ role: 'user', content: 'Hi', name: 'ann' }] }, 'messages[0].name', /names/],
    [{ ...base, mystery: 1 }, 'mystery', /mystery/],
  ] as [ChatRequestBody, string, RegExp][])(
    'refuses what Responses has no field for: %j',
    (req, param, message) => {
      const result = chatRequestToResponses(req, 'up');
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('unsupported_feature');
      expect(result.error.param).toBe(param);
      expect(result.error.message).toMatch(message);
    },
  );

  it('never throws, whatever the canonical request holds', () => {
    fc.assert(
      fc.property(
        fc.record({
          model: fc.string(),
          messages: fc.array(
            fc.record({
              role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'x'),
              content: fc.oneof(
                fc.string(),
                fc.constant(null),
                fc.array(
                  fc.record({
                    type: fc.constantFrom('text', 'image_url', 'audio'),
                    text: fc.string(),
                    image_url: fc.record({ url: fc.string() }),
                  }),
                ),
              ),
              tool_call_id: fc.option(fc.string(), { nil: undefined }),
            }),
          ),
          stop: fc.option(fc.string(), { nil: undefined }),
        }),
        (req) => {
          expect(typeof chatRequestToResponses(req as ChatRequestBody, 'up').ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
