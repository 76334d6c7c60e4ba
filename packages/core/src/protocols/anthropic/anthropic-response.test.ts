import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatResponseBody } from '../canonical-chat';
import { anthropicResponseToChat } from './anthropic-response-to-chat';
import { chatResponseToAnthropic } from './chat-response-to-anthropic';
import response from './fixtures/message-response.json';

describe('anthropicResponseToChat', () => {
  it('translates a recorded message: text, tool call, stop reason, normalised usage', () => {
    expect(anthropicResponseToChat(response, 'public-model', 1_765_000_000)).toEqual({
      ok: true,
      value: {
        id: 'msg_01Aq9w938a90dw8q',
        object: 'chat.completion',
        created: 1_765_000_000,
        model: 'public-model',
        choices: [
          {
            index: 0,
            message: {
              role: 'assistant',
              content: "I'll check the weather in San Francisco for you.",
              tool_calls: [
                {
                  id: 'toolu_01A09q90qw90lq917835lq9',
                  type: 'function',
                  function: {
                    name: 'get_weather',
                    arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
                  },
                },
              ],
            },
            finish_reason: 'tool_calls',
          },
        ],
        usage: {
          prompt_tokens: 472 + 1024 + 2048,
          completion_tokens: 89,
          total_tokens: 472 + 1024 + 2048 + 89,
          prompt_tokens_details: { cached_tokens: 2048 },
          completion_tokens_details: { reasoning_tokens: 0 },
          cache_write_tokens: 1024,
        },
      },
    });
  });

  it('fails on garbage, leaves out unreadable usage, never throws', () => {
    for (const body of [
      null,
      [],
      'x',
      { type: 'error' },
      { type: 'message', content: 'hi' },
      { type: 'message', content: [7] },
    ]) {
      const result = anthropicResponseToChat(body, 'm', 0);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error.code).toBe('upstream_error');
    }
    const noUsage = anthropicResponseToChat({ ...response, usage: { input_tokens: 'many' } }, 'm', 0);
    expect(noUsage.ok && noUsage.value.usage).toBeUndefined();
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.dictionary(fc.constantFrom('content', 'usage', 'stop_reason', 'id'), fc.jsonValue()),
        (body, fields) => {
          expect(typeof anthropicResponseToChat(body, 'm', 0).ok).toBe('boolean');
          expect(typeof anthropicResponseToChat({ ...response, ...fields }, 'm', 0).ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});

const completion: ChatResponseBody = {
  id: 'chatcmpl-abc',
  object: 'chat.completion',
  created: 1_765_000_000,
  model: 'gpt-4.1-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          { id: 'call_2', type: 'function', function: { name: 'broken', arguments: '{"cut off' } },
        ],
      },
      finish_reason: 'tool_calls',
    },
  ],
  usage: {
    prompt_tokens: 500,
    completion_tokens: 40,
    total_tokens: 540,
    prompt_tokens_details: { cached_tokens: 384 },
    completion_tokens_details: { reasoning_tokens: 10 },
  },
};

describe('chatResponseToAnthropic', () => {
  it('builds an Anthropic message the SDK returns as is', async () => {
    const message = chatResponseToAnthropic(completion, 'public-model');
    expect(message).toEqual({
      id: 'chatcmpl-abc',
      type: 'message',
      role: 'assistant',
      model: 'public-model',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
        // Arguments that are not JSON are kept as sent, not emptied.
        { type: 'tool_use', id: 'call_2', name: 'broken', input: '{"cut off' },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: {
        input_tokens: 116,
        output_tokens: 40,
        cache_read_input_tokens: 384,
        cache_creation_input_tokens: 0,
        output_tokens_details: { thinking_tokens: 10 },
      },
    });
    const client = new Anthropic({
      apiKey: 'sk-ant-test-not-a-key',
      baseURL: 'http://gateway.invalid',
      maxRetries: 0,
      fetch: async () => Response.json(message),
    });
    const received = await client.messages.create({
      model: 'public-model',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(received.content[1]).toEqual({
      type: 'tool_use',
      id: 'call_1',
      name: 'get_weather',
      input: { city: 'Paris' },
    });
  });

  it('round-trips usage and finish reasons through the Anthropic shape', () => {
    const back = anthropicResponseToChat(chatResponseToAnthropic(completion, 'p'), 'p', 1);
    expect(back.ok && back.value.usage).toEqual({
      ...completion.usage,
      cache_write_tokens: 0,
    });
    for (const finish of ['stop', 'length', 'tool_calls', 'content_filter'] as const) {
      const resp = { ...completion, choices: [{ ...completion.choices[0]!, finish_reason: finish }] };
      const again = anthropicResponseToChat(chatResponseToAnthropic(resp, 'p'), 'p', 1);
      expect(again.ok && again.value.choices[0]?.finish_reason).toBe(finish);
    }
  });
});
