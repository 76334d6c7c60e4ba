import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatContentPart, ChatMessage, ChatRequestBody, ChatTool } from '../canonical-chat';
import { anthropicToChatRequest } from './anthropic-to-chat-request';
import { ANTHROPIC_DEFAULT_MAX_TOKENS, chatRequestToAnthropic } from './chat-request-to-anthropic';
import request from './fixtures/message-request.json';

const user = (content: ChatMessage['content']): ChatMessage => ({ role: 'user', content });
const base: ChatRequestBody = { model: 'public-model', messages: [user('Hi')] };

function refusal(req: Record<string, unknown>) {
  const result = chatRequestToAnthropic(req as ChatRequestBody, 'claude-haiku-4-5');
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('chatRequestToAnthropic', () => {
  it('builds an Anthropic body: system, alternation, tool results in one user turn, tools, defaults', () => {
    const result = chatRequestToAnthropic(
      {
        model: 'public-model',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: 'Use metric units.' },
          user('What is the weather?'),
          user([{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } }]),
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_1',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '15C' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '09:41' }] },
          user('And tomorrow?'),
        ],
        tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object' } } }],
        tool_choice: 'required',
        parallel_tool_calls: false,
        stop: 'END',
        user: 'user-7',
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.2,
        top_p: 0.9,
        n: 1,
        presence_penalty: 0,
      },
      'claude-haiku-4-5',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        body: {
          model: 'claude-haiku-4-5',
          max_tokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
          system: [
            { type: 'text', text: 'Be brief.' },
            { type: 'text', text: 'Use metric units.' },
          ],
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'What is the weather?' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
            {
              role: 'assistant',
              content: [
                { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
                { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
              ],
            },
            {
              role: 'user',
              content: [
                { type: 'tool_result', tool_use_id: 'call_1', content: '15C' },
                { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '09:41' }] },
                { type: 'text', text: 'And tomorrow?' },
              ],
            },
          ],
          stream: true,
          temperature: 0.2,
          top_p: 0.9,
          stop_sequences: ['END'],
          metadata: { user_id: 'user-7' },
          tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
          tool_choice: { type: 'any', disable_parallel_tool_use: true },
        },
      },
    });
    expect(ANTHROPIC_DEFAULT_MAX_TOKENS).toBe(4096);
  });

  it('prefers max_completion_tokens, maps json_schema and reasoning_effort into output_config', () => {
    const schema = { type: 'object', properties: {} };
    const result = chatRequestToAnthropic(
      {
        ...base,
        max_tokens: 10,
        max_completion_tokens: 20,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
        reasoning_effort: 'low',
      },
      'claude-opus-4-7',
    );
    expect(result.ok && result.value.body.max_tokens).toBe(20);
    expect(result.ok && result.value.body.output_config).toEqual({
      format: { type: 'json_schema', schema },
      effort: 'low',
    });
  });

  it('refuses invalid tool-call arguments, naming the field', () => {
    const error = refusal({
      ...base,
      messages: [
        user('x'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        },
      ],
    });
    expect([error.code, error.param]).toEqual([
      'invalid_request',
      'messages[1].tool_calls[0].function.arguments',
    ]);
    const notObject = refusal({
      ...base,
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ],
    });
    expect(notObject.param).toBe('messages[0].tool_calls[0].function.arguments');
  });

  it('refuses what Anthropic cannot honour, naming it', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...base, n: 2 }, 'n'],
      [{ ...base, logprobs: true }, 'logprobs'],
      [{ ...base, top_logprobs: 3 }, 'top_logprobs'],
      [{ ...base, response_format: { type: 'json_object' } }, 'response_format.type'],
      [{ ...base, presence_penalty: 0.5 }, 'presence_penalty'],
      [{ ...base, frequency_penalty: -1 }, 'frequency_penalty'],
      [{ ...base, logit_bias: { '50256': -100 } }, 'logit_bias'],
      [{ ...base, seed: 42 }, 'seed'],
      [{ ...base, audio: { voice: 'alloy', format: 'mp3' } }, 'audio'],
      [{ ...base, modalities: ['text', 'audio'] }, 'modalities'],
      [{ ...base, temperature: 1.4 }, 'temperature'],
      [{ ...base, store: true }, 'store'],
      [{ ...base, reasoning_effort: 'minimal' }, 'reasoning_effort'],
      [
        {
          ...base,
          messages: [user([{ type: 'image_url', image_url: { url: 'data:image/bmp;base64,Qk0=' } }])],
        },
        'messages[0].content[0].image_url.url',
      ],
      [{ ...base, messages: [{ role: 'function', name: 'f', content: 'x' }] }, 'messages[0].role'],
    ];
    for (const [req, param] of cases) {
      const error = refusal(req);
      expect([error.code, error.param, error.status]).toEqual(['unsupported_feature', param, 400]);
    }
  });

  it('never throws and always returns a result, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(typeof chatRequestToAnthropic(body as ChatRequestBody, 'm').ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            role: fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer'),
            content: fc.jsonValue(),
            tool_calls: fc.option(fc.jsonValue()),
            tool_call_id: fc.option(fc.jsonValue()),
          }),
        ),
        (messages) => {
          expect(
            typeof chatRequestToAnthropic({ ...base, messages } as unknown as ChatRequestBody, 'm').ok,
          ).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an Anthropic request survives Anthropic → canonical → Anthropic unchanged (the recorded fixture)', () => {
    const canonical = anthropicToChatRequest(request);
    if (!canonical.ok) throw new Error(canonical.error.message);
    const back = chatRequestToAnthropic(canonical.value, 'claude-sonnet-4-6');
    if (!back.ok) throw new Error(back.error.message);
    expect(back.value.body).toEqual(request);
  });
});

/** Content compared as parts: a string and one text part mean the same. */
function parts(content: ChatMessage['content']): ChatContentPart[] | null {
  if (content === null) return null;
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** The canonical request as meaning: content as parts, adjacent user parts joined, defaults spelled out. */
function meaning(req: ChatRequestBody) {
  const messages: Record<string, unknown>[] = [];
  for (const message of req.messages) {
    const last = messages.at(-1);
    if (message.role === 'user' && last?.role === 'user') {
      last.content = [...(last.content as ChatContentPart[]), ...(parts(message.content) ?? [])];
      continue;
    }
    messages.push({ ...message, content: parts(message.content) });
  }
  return {
    messages,
    max_tokens: req.max_tokens,
    temperature: req.temperature,
    stop: typeof req.stop === 'string' ? [req.stop] : req.stop,
    tools: req.tools,
    tool_choice: req.tool_choice ?? (req.tools && req.parallel_tool_calls === false ? 'auto' : undefined),
    // Without tools, or with tools switched off, parallelism means nothing and is not carried.
    parallel_tool_calls: req.tools && req.tool_choice !== 'none' ? req.parallel_tool_calls : undefined,
    user: req.user,
  };
}

const text = fc.string({ minLength: 1, maxLength: 20 });
const image = fc.oneof(
  fc.base64String({ minLength: 4, maxLength: 12 }).map(
    (data): ChatContentPart => ({
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${data}` },
    }),
  ),
  fc
    .webUrl({ validSchemes: ['https'] })
    .map((url): ChatContentPart => ({ type: 'image_url', image_url: { url } })),
);
const userMessage = fc.oneof(
  text.map((t) => user(t)),
  fc
    .array(
      fc.oneof(
        text.map((t): ChatContentPart => ({ type: 'text', text: t })),
        image,
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map(user),
);
const args = fc
  .dictionary(fc.string({ maxLength: 5 }), fc.jsonValue(), { maxKeys: 3 })
  .map((o) => JSON.stringify(o));
/** One assistant turn: text, or tool calls (with optional text) each answered by a tool message. */
const assistantTurn = fc.oneof(
  text.map((t): ChatMessage[] => [{ role: 'assistant', content: t }]),
  fc
    .tuple(
      fc.option(text, { nil: null }),
      fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), args), { minLength: 1, maxLength: 3 }),
    )
    .map(([content, calls]): ChatMessage[] => [
      {
        role: 'assistant',
        content,
        tool_calls: calls.map(([name, a], i) => ({
          id: `call_${i}`,
          type: 'function' as const,
          function: { name, arguments: a },
        })),
      },
      ...calls.map(
        (_, i): ChatMessage => ({ role: 'tool', tool_call_id: `call_${i}`, content: `result ${i}` }),
      ),
    ]),
);
const tool = fc
  .record({
    name: fc.string({ minLength: 1, maxLength: 8 }),
    description: text,
  })
  .map(
    ({ name, description }): ChatTool => ({
      type: 'function',
      function: { name, description, parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    }),
  );

describe('canonical → Anthropic → canonical', () => {
  it('keeps the meaning of a random conversation (system, turns, images, tools, tool results)', () => {
    fc.assert(
      fc.property(
        fc.option(text, { nil: undefined }),
        fc.array(fc.tuple(userMessage, assistantTurn), { minLength: 1, maxLength: 4 }),
        userMessage,
        fc.record(
          {
            max_tokens: fc.integer({ min: 1, max: 100_000 }),
            temperature: fc.double({ min: 0, max: 1, noNaN: true }),
            stop: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 3 })),
            tools: fc.array(tool, { minLength: 1, maxLength: 3 }),
            tool_choice: fc.constantFrom('auto' as const, 'required' as const, 'none' as const),
            parallel_tool_calls: fc.constant(false),
            user: text,
          },
          { requiredKeys: ['max_tokens'] },
        ),
        (system, turns, last, options) => {
          const messages: ChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
          for (const [u, a] of turns) messages.push(u, ...a);
          messages.push(last);
          const req: ChatRequestBody = { model: 'm', messages, ...options };
          const anthropic = chatRequestToAnthropic(req, 'm');
          if (!anthropic.ok) throw new Error(anthropic.error.message);
          const back = anthropicToChatRequest(anthropic.value.body);
          if (!back.ok) throw new Error(back.error.message);
          expect(meaning(back.value)).toEqual(meaning(req));
        },
      ),
      { numRuns: 300 },
    );
  });
});
