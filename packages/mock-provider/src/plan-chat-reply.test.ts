import { describe, expect, it } from 'vitest';
import { type MockChatRequest, parseChatRequest } from './parse-chat-request';
import { planChatReply } from './plan-chat-reply';
import { MAX_ECHO_WORDS, mockToolArguments } from './plan-reply';

function request(body: Record<string, unknown>): MockChatRequest {
  const parsed = parseChatRequest({ model: 'mock-gpt-4o-mini', ...body });
  if (!parsed.ok) throw new Error(parsed.error.error.message);
  return parsed.value;
}

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string' },
        unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        days: { type: 'integer' },
      },
      required: ['location', 'unit'],
    },
  },
};

describe('planChatReply', () => {
  it('echoes the last user message followed by the fixed tail', () => {
    const reply = planChatReply(
      request({
        messages: [
          { role: 'system', content: 'You are terse.' },
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: 'first answer' },
          { role: 'user', content: '  Say   hello\nto the mock ' },
        ],
      }),
    );
    expect(reply).toEqual({
      kind: 'text',
      words: 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.'.split(' '),
      content: 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.',
      finishReason: 'stop',
      usage: { promptTokens: 6 + 5 + 5 + 8, completionTokens: 15 },
    });
  });

  it('keeps at most 32 words of the user message', () => {
    const long = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const reply = planChatReply(request({ messages: [{ role: 'user', content: long }] }));
    expect(reply.kind === 'text' && reply.words.slice(3, 3 + MAX_ECHO_WORDS + 1)).toEqual([
      ...Array.from({ length: MAX_ECHO_WORDS }, (_, i) => `w${i}`),
      '—',
    ]);
    expect(reply.usage).toEqual({ promptTokens: 43, completionTokens: 3 + 32 + 7 });
  });

  it('cuts the reply to max_tokens (or max_completion_tokens) words with finish_reason length', () => {
    const cut = planChatReply(request({ max_tokens: 4, messages: [{ role: 'user', content: 'hi there' }] }));
    expect(cut).toMatchObject({
      content: 'Mock reply to: hi',
      finishReason: 'length',
      usage: { completionTokens: 4 },
    });
    const newer = planChatReply(
      request({ max_tokens: 100, max_completion_tokens: 2, messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(newer).toMatchObject({ content: 'Mock reply', finishReason: 'length' });
    const roomy = planChatReply(request({ max_tokens: 11, messages: [{ role: 'user', content: 'hi' }] }));
    expect(roomy).toMatchObject({ finishReason: 'stop', usage: { completionTokens: 11 } });
  });

  it('calls the first function with its required properties filled deterministically', () => {
    const reply = planChatReply(
      request({ tools: [WEATHER_TOOL], messages: [{ role: 'user', content: 'weather?' }] }),
    );
    expect(reply).toEqual({
      kind: 'tool_call',
      calls: [{ name: 'get_weather', arguments: '{"location":"mock","unit":"celsius"}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 4, completionTokens: 2 },
    });
  });

  it('honours a forced function and tool_choice none', () => {
    const other = { type: 'function', function: { name: 'noop' } };
    const forced = planChatReply(
      request({
        tools: [WEATHER_TOOL, other],
        tool_choice: { type: 'function', function: { name: 'noop' } },
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(forced).toMatchObject({ kind: 'tool_call', calls: [{ name: 'noop', arguments: '{}' }] });
    const none = planChatReply(
      request({ tools: [WEATHER_TOOL], tool_choice: 'none', messages: [{ role: 'user', content: 'x' }] }),
    );
    expect(none).toMatchObject({
      kind: 'text',
      content: 'Mock reply to: x — this is a deterministic mock completion.',
    });
  });

  it('answers a tool result with text that includes it', () => {
    const reply = planChatReply(
      request({
        tools: [WEATHER_TOOL],
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21,"sky":"clear"}' },
        ],
      }),
    );
    expect(reply).toMatchObject({
      kind: 'text',
      content:
        'Mock reply using tool result: {"temperature":21,"sky":"clear"} — this is a deterministic mock completion.',
      finishReason: 'stop',
      usage: { promptTokens: 4 + 3 + 4, completionTokens: 13 },
    });
  });
});

describe('mockToolArguments', () => {
  it('fills nested required objects, numbers, booleans, arrays and nullable types', () => {
    expect(
      mockToolArguments({
        name: 'f',
        parameters: {
          type: 'object',
          properties: {
            n: { type: 'number' },
            b: { type: 'boolean' },
            list: { type: 'array', items: { type: 'string' } },
            maybe: { type: ['null', 'string'] },
            nested: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
            optional: { type: 'string' },
          },
          required: ['n', 'b', 'list', 'maybe', 'nested'],
        },
      }),
    ).toBe('{"n":1,"b":true,"list":[],"maybe":"mock","nested":{"id":1}}');
    expect(mockToolArguments({ name: 'f', parameters: undefined })).toBe('{}');
  });
});

describe('parseChatRequest', () => {
  it('names the first bad field like OpenAI', () => {
    const error = (body: unknown) => {
      const parsed = parseChatRequest(body);
      return parsed.ok ? undefined : parsed.error.error;
    };
    expect(error({ messages: [] })).toEqual({
      message: 'you must provide a model parameter',
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expect(error({ model: 'm' })).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    expect(error({ model: 'm', messages: [] })).toMatchObject({ param: 'messages', code: 'empty_array' });
    expect(error({ model: 'm', messages: 'hi' })).toMatchObject({
      message: "Invalid type for 'messages': expected an array of objects, but got a string instead.",
    });
    expect(error({ model: 'm', messages: [{ role: 'robot' }] })).toMatchObject({ param: 'messages[0].role' });
    expect(error({ model: 'm', messages: [{ role: 'user' }], max_tokens: 0 })).toMatchObject({
      param: 'max_tokens',
      code: 'integer_below_min_value',
    });
    expect(error({ model: 'm', messages: [{ role: 'user' }], tool_choice: 'required' })).toMatchObject({
      param: 'tool_choice',
    });
    expect(
      error({ model: 'm', messages: [{ role: 'user' }], temperature: 0.2, whatever: { x: 1 } }),
    ).toBeUndefined();
  });
});
