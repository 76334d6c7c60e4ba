import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequestBody } from '../canonical-chat';
import { chatRequestToResponses } from './chat-request-to-responses';
import { responsesToChatRequest } from './responses-to-chat-request';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('responsesToChatRequest', () => {
  it('translates a multi-turn tool round trip with an image, instructions, tools, format and sampling', () => {
    expect(responsesToChatRequest(fixture('responses-request-tool-round-trip.json'))).toEqual({
      ok: true,
      value: {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a weather bot.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather in Paris?' },
              { type: 'image_url', image_url: { url: 'https://example.com/paris.jpg', detail: 'low' } },
            ],
          },
          {
            role: 'assistant',
            content: [{ type: 'text', text: 'Let me check.' }],
            tool_calls: [
              {
                id: 'call_Wx7cA1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city": "Paris"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_Wx7cA1', content: '{"temp_c": 18}' },
        ],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 256,
        temperature: 0.2,
        top_p: 0.9,
        parallel_tool_calls: false,
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Current weather',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string' } },
                required: ['city'],
                additionalProperties: false,
              },
              strict: true,
            },
          },
        ],
        tool_choice: 'auto',
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'weather',
            schema: { type: 'object', properties: { summary: { type: 'string' } } },
            strict: true,
          },
        },
      },
    });
  });

  it('takes a string input as one user message; developer and system items keep their role', () => {
    expect(responsesToChatRequest({ model: 'm', input: 'Hi' })).toEqual({
      ok: true,
      value: { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
    });
    const result = responsesToChatRequest({
      model: 'm',
      input: [
        { role: 'developer', content: 'Rules.' },
        { type: 'message', role: 'system', content: [{ type: 'input_text', text: 'More.' }] },
        { role: 'user', content: 'Q' },
      ],
    });
    expect(result.ok && result.value.messages).toEqual([
      { role: 'developer', content: 'Rules.' },
      { role: 'system', content: [{ type: 'text', text: 'More.' }] },
      { role: 'user', content: 'Q' },
    ]);
  });

  it('joins consecutive function calls into one assistant turn and keeps outputs as tool messages', () => {
    const result = responsesToChatRequest({
      model: 'm',
      input: [
        { role: 'user', content: 'Both, please.' },
        { type: 'function_call', call_id: 'c1', name: 'a', arguments: '{}' },
        { type: 'function_call', call_id: 'c2', name: 'b', arguments: '{"x":1}' },
        { type: 'function_call_output', call_id: 'c1', output: 'one' },
        { type: 'function_call_output', call_id: 'c2', output: [{ type: 'input_text', text: 'two' }] },
      ],
    });
    expect(result.ok && result.value.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'a', arguments: '{}' } },
          { id: 'c2', type: 'function', function: { name: 'b', arguments: '{"x":1}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'one' },
      { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: 'two' }] },
    ]);
  });

  it('accepts store (nothing is stored), json_object, tool_choice by function, effort and verbosity', () => {
    const result = responsesToChatRequest({
      model: 'm',
      input: 'Hi',
      store: true,
      text: { format: { type: 'json_object' }, verbosity: 'low' },
      tool_choice: { type: 'function', name: 'f' },
      reasoning: { effort: 'low' },
      include: ['reasoning.encrypted_content'],
      user: 'u-1',
      metadata: { a: 'b' },
    });
    expect(result).toEqual({
      ok: true,
      value: {
        model: 'm',
        messages: [{ role: 'user', content: 'Hi' }],
        response_format: { type: 'json_object' },
        verbosity: 'low',
        tool_choice: { type: 'function', function: { name: 'f' } },
        reasoning_effort: 'low',
        user: 'u-1',
        metadata: { a: 'b' },
      },
    });
  });

  it('resolves item_reference through the given lookup, once (a stored reference is not followed)', () => {
    const stored: Record<string, unknown> = {
      msg_1: {
        type: 'message',
        id: 'msg_1',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
      },
      fc_1: {
        type: 'function_call',
        id: 'fc_1',
        call_id: 'call_1',
        name: 'f',
        arguments: '{}',
        status: 'completed',
      },
      loop: { type: 'item_reference', id: 'loop' },
    };
    const resolveItemReference = (id: string) => stored[id] ?? null;
    const input = [
      { role: 'user', content: 'Q' },
      { type: 'item_reference', id: 'msg_1' },
      { type: 'item_reference', id: 'fc_1' },
      { type: 'function_call_output', call_id: 'call_1', output: 'A' },
    ];
    expect(responsesToChatRequest({ model: 'm', input }, { resolveItemReference })).toEqual({
      ok: true,
      value: {
        model: 'm',
        messages: [
          { role: 'user', content: 'Q' },
          {
            role: 'assistant',
            content: [{ type: 'text', text: 'Let me check.' }],
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'A' },
        ],
      },
    });
    for (const id of ['loop', 'unknown']) {
      const result = responsesToChatRequest(
        { model: 'm', input: [{ type: 'item_reference', id }] },
        { resolveItemReference },
      );
      expect(result.ok === false && result.error.code).toBe('unsupported_feature');
    }
  });

  const base = { model: 'm', input: 'Hi' };
  it.each([
    [{ ...base, previous_response_id: 'resp_1' }, 'previous_response_id', /conversation state/],
    [{ ...base, conversation: 'conv_1' }, 'conversation', /conversation state/],
    [{ ...base, prompt: { id: 'pmpt_1' } }, 'prompt', /template/],
    [{ ...base, background: true }, 'background', /background/],
    [{ model: 'm', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0]', /store to false/],
    [{ model: 'm', input: [{ type: 'reasoning', id: 'rs_1', summary: [] }] }, 'input[0].type', /reasoning/],
    [{ ...base, tools: [{ type: 'web_search' }] }, 'tools[0].type', /'web_search'/],
    [
      { ...base, tools: [{ type: 'file_search', vector_store_ids: ['vs'] }] },
      'tools[0].type',
      /'file_search'/,
    ],
    [
      {
        ...base,
        tools: [{ type: 'computer_use_preview', display_width: 1, display_height: 1, environment: 'mac' }],
      },
      'tools[0].type',
      /'computer_use_preview'/,
    ],
    [{ ...base, tool_choice: { type: 'file_search' } }, 'tool_choice', /file_search/],
    [
      {
        model: 'm',
        input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1', detail: 'auto' }] }],
      },
      'input[0].content[0].file_id',
      /file_id/,
    ],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_file', file_id: 'file-1' }] }] },
      'input[0].content[0]',
      /input_file/,
    ],
    [{ ...base, include: ['message.output_text.logprobs'] }, 'include[0]', /logprobs/],
    [{ ...base, reasoning: { effort: 'low', summary: 'auto' } }, 'reasoning.summary', /summar/],
    [{ ...base, truncation: 'auto' }, 'truncation', /truncation/],
    [{ ...base, max_tool_calls: 2 }, 'max_tool_calls', /max_tool_calls/],
    [{ ...base, top_logprobs: 2 }, 'top_logprobs', /top_logprobs/],
    [{ ...base, frequency_penalty: 1 }, 'frequency_penalty', /frequency_penalty/],
  ])('refuses what it cannot honour, naming it: %j', (body, param, message) => {
    const result = responsesToChatRequest(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('unsupported_feature');
    expect(result.error.status).toBe(400);
    expect(result.error.param).toBe(param);
    expect(result.error.message).toMatch(message);
  });

  it.each([
    [null, 'body'],
    [{ input: 'Hi' }, 'model'],
    [{ model: 'm' }, 'input'],
    [{ model: 'm', input: 3 }, 'input'],
    [{ model: 'm', input: [] }, 'input'],
    [{ model: 'm', input: [{ role: 'tool', content: 'x' }] }, 'input[0].role'],
    [{ model: 'm', input: [{ type: 'function_call', call_id: 'c', arguments: '{}' }] }, 'input[0].name'],
    [{ model: 'm', input: [{ type: 'function_call_output', output: 'x' }] }, 'input[0].call_id'],
    [
      { model: 'm', input: [{ role: 'user', content: [{ type: 'input_text' }] }] },
      'input[0].content[0].text',
    ],
    [{ ...base, max_output_tokens: 0 }, 'max_output_tokens'],
    [{ ...base, temperature: 'hot' }, 'temperature'],
    [{ ...base, tools: [{ type: 'function', parameters: {} }] }, 'tools[0].name'],
    [{ ...base, text: { format: { type: 'json_schema', schema: {} } } }, 'text.format.name'],
    [{ ...base, stream: 'yes' }, 'stream'],
  ])('names the bad field of malformed input: %j', (body, param) => {
    const result = responsesToChatRequest(body);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_request');
    expect(result.error.param).toBe(param);
  });

  it('never throws and always answers a Result, whatever the body', () => {
    const bodies = fc.oneof(
      fc.jsonValue(),
      fc.record({ model: fc.string(), input: fc.jsonValue() }),
      fc.record({
        model: fc.constant('m'),
        input: fc.array(
          fc.record(
            {
              type: fc.constantFrom(
                'message',
                'function_call',
                'function_call_output',
                'item_reference',
                'x',
              ),
              role: fc.constantFrom('user', 'assistant', 'system', 'developer', 'tool'),
              content: fc.jsonValue(),
              call_id: fc.jsonValue(),
              name: fc.jsonValue(),
              arguments: fc.jsonValue(),
              output: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        ),
        tools: fc.jsonValue(),
        tool_choice: fc.jsonValue(),
        text: fc.jsonValue(),
        reasoning: fc.jsonValue(),
        include: fc.jsonValue(),
      }),
    );
    fc.assert(
      fc.property(bodies, (body) => {
        const result = responsesToChatRequest(body);
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(['invalid_request', 'unsupported_feature']).toContain(result.error.code);
      }),
      { numRuns: 2000 },
    );
  });
});

// A canonical conversation in the subset both directions support: system first, user text and images,
// assistant text and tool calls, tool results answering them.
const word = fc.string({ minLength: 0, maxLength: 12 });
const id = fc.stringMatching(/^call_[A-Za-z0-9]{1,8}$/);
const userMessage: fc.Arbitrary<ChatMessage> = fc.oneof(
  word.map((text) => ({ role: 'user' as const, content: text })),
  fc
    .array(
      fc.oneof(
        word.map((text) => ({ type: 'text' as const, text })),
        fc
          .record({
            url: fc.webUrl(),
            detail: fc.option(fc.constantFrom('auto' as const, 'low' as const, 'high' as const), {
              nil: undefined,
            }),
          })
          .map(({ url, detail }) => ({
            type: 'image_url' as const,
            image_url: detail === undefined ? { url } : { url, detail },
          })),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((content) => ({ role: 'user' as const, content })),
);
const toolTurn: fc.Arbitrary<ChatMessage[]> = fc
  .record({
    text: fc.option(
      word.filter((text) => text.length > 0),
      { nil: null },
    ),
    calls: fc.uniqueArray(fc.record({ id, name: fc.constantFrom('a', 'b_c'), args: fc.json() }), {
      minLength: 1,
      maxLength: 3,
      selector: (call) => call.id,
    }),
    results: fc.array(word, { minLength: 3, maxLength: 3 }),
  })
  .map(({ text, calls, results }) => [
    {
      role: 'assistant' as const,
      content: text,
      tool_calls: calls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.name, arguments: call.args },
      })),
    },
    ...calls.map((call, i) => ({ role: 'tool' as const, tool_call_id: call.id, content: results[i] ?? '' })),
  ]);
const conversation: fc.Arbitrary<ChatRequestBody> = fc
  .record({
    system: fc.option(word, { nil: undefined }),
    turns: fc.array(
      fc.oneof(
        userMessage.map((message) => [message]),
        word.map((text) => [{ role: 'assistant' as const, content: text }]),
        toolTurn,
      ),
      { minLength: 1, maxLength: 5 },
    ),
    maxTokens: fc.option(fc.integer({ min: 1, max: 4096 }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
    tools: fc.boolean(),
    choice: fc.constantFrom(undefined, 'auto' as const, 'none' as const, 'required' as const),
  })
  .map(({ system, turns, maxTokens, temperature, tools, choice }) => {
    const req: ChatRequestBody = {
      model: 'public-model',
      messages: [
        ...(system === undefined ? [] : [{ role: 'system' as const, content: system }]),
        ...turns.flat(),
      ],
    };
    if (maxTokens !== undefined) req.max_tokens = maxTokens;
    if (temperature !== undefined) req.temperature = temperature;
    if (tools) {
      req.tools = [
        {
          type: 'function',
          function: { name: 'a', description: 'd', parameters: { type: 'object' }, strict: false },
        },
      ];
    }
    if (choice !== undefined) req.tool_choice = choice;
    return req;
  })
  // Responses has no turn boundary between an assistant message and the function calls after it: chat's
  // [assistant text, assistant tool calls] comes back as one assistant turn (same meaning, one message fewer).
  .filter((req) =>
    req.messages.every(
      (message, i) => !(message.role === 'assistant' && req.messages[i + 1]?.tool_calls !== undefined),
    ),
  );

describe('chat → Responses → chat', () => {
  it('gives back the same conversation, tools and parameters', () => {
    fc.assert(
      fc.property(conversation, (req) => {
        const out = chatRequestToResponses(req, 'upstream-model');
        expect(out.ok).toBe(true);
        if (!out.ok) return;
        expect(out.value.body.model).toBe('upstream-model');
        const back = responsesToChatRequest({ ...out.value.body, model: req.model });
        expect(back).toEqual({ ok: true, value: req });
      }),
      { numRuns: 500 },
    );
  });
});
