import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicToChatRequest } from './anthropic-to-chat-request';
import { chatRequestToAnthropic } from './chat-request-to-anthropic';
import request from './fixtures/message-request.json';

const PIXEL =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const base = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] };

function refusal(body: unknown) {
  const result = anthropicToChatRequest(body);
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.value)}`);
  return result.error;
}

describe('anthropicToChatRequest', () => {
  it('translates a full request: system, images, tool calls, several tool results, tools, tool_choice', () => {
    const result = anthropicToChatRequest(request);
    expect(result).toEqual({
      ok: true,
      value: {
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.5,
        stop: ['\n\nHuman:'],
        user: '13803d75-b4b5-4c3e-b2a2-6f21399b021b',
        messages: [
          {
            role: 'system',
            content: [{ type: 'text', text: 'You are a weather assistant. Answer briefly.' }],
          },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is the weather in San Francisco? Here is the sky:' },
              {
                type: 'image_url',
                image_url: { url: `data:image/png;base64,${PIXEL}` },
              },
              {
                type: 'image_url',
                image_url: {
                  url: 'https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg',
                },
              },
            ],
          },
          {
            role: 'assistant',
            content: "I'll look up the current weather in San Francisco.",
            tool_calls: [
              {
                id: 'toolu_01A09q90qw90lq917835lq9',
                type: 'function',
                function: {
                  name: 'get_weather',
                  arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
                },
              },
              {
                id: 'toolu_01B19q90qw90lq917835lq8',
                type: 'function',
                function: { name: 'get_time', arguments: '{"timezone":"America/Los_Angeles"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'toolu_01A09q90qw90lq917835lq9', content: '15 degrees, fog' },
          {
            role: 'tool',
            tool_call_id: 'toolu_01B19q90qw90lq917835lq8',
            content: [{ type: 'text', text: '09:41' }],
          },
          { role: 'user', content: [{ type: 'text', text: 'Thanks. Should I bring a jacket?' }] },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Get the current weather in a given location',
              parameters: request.tools[0]?.input_schema,
            },
          },
          {
            type: 'function',
            function: {
              name: 'get_time',
              description: 'Get the current time in a time zone',
              parameters: request.tools[1]?.input_schema,
            },
          },
        ],
        tool_choice: 'auto',
        parallel_tool_calls: false,
      },
    });
  });

  it('maps every tool_choice and keeps system strings, system-role messages and string content as strings', () => {
    const choice = (tool_choice: unknown) => {
      const result = anthropicToChatRequest({ ...base, tool_choice });
      return result.ok ? [result.value.tool_choice, result.value.parallel_tool_calls] : result.error.code;
    };
    expect(choice({ type: 'auto' })).toEqual(['auto', undefined]);
    expect(choice({ type: 'any', disable_parallel_tool_use: true })).toEqual(['required', false]);
    expect(choice({ type: 'none' })).toEqual(['none', undefined]);
    expect(choice({ type: 'tool', name: 'get_weather' })).toEqual([
      { type: 'function', function: { name: 'get_weather' } },
      undefined,
    ]);
    expect(choice({ type: 'sometimes' })).toBe('invalid_request');

    const result = anthropicToChatRequest({
      ...base,
      system: 'Be brief.',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'system', content: 'Now answer in French.' },
        { role: 'assistant', content: 'Bonjour' },
      ],
    });
    expect(result.ok && result.value.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Now answer in French.' },
      { role: 'assistant', content: 'Bonjour' },
    ]);
  });

  it('marks an is_error tool result, since chat tool messages have no error flag', () => {
    const result = anthropicToChatRequest({
      ...base,
      messages: [
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't1', content: 'timeout', is_error: true }],
        },
      ],
    });
    expect(result.ok && result.value.messages[1]).toEqual({
      role: 'tool',
      tool_call_id: 't1',
      content: 'Error: timeout',
    });
  });

  it('translates output_config.format into a json_schema response_format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const result = anthropicToChatRequest({
      ...base,
      output_config: { format: { type: 'json_schema', schema } },
    });
    expect(result.ok && result.value.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema, strict: true },
    });
  });

  it('refuses what only an Anthropic upstream can serve, naming it and the field', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { ...base, thinking: { type: 'enabled', budget_tokens: 2048 } },
        'thinking.type',
        /thinking.*non-Anthropic/,
      ],
      [{ ...base, cache_control: { type: 'ephemeral' } }, 'cache_control', /cache_control.*non-Anthropic/],
      [
        { ...base, system: [{ type: 'text', text: 's', cache_control: { type: 'ephemeral' } }] },
        'system[0].cache_control',
        /Prompt caching/,
      ],
      [
        {
          ...base,
          messages: [
            { role: 'user', content: [{ type: 'text', text: 'x', cache_control: { type: 'ephemeral' } }] },
          ],
        },
        'messages[0].content[0].cache_control',
        /served by a non-Anthropic upstream/,
      ],
      [
        {
          ...base,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBE' } },
              ],
            },
          ],
        },
        'messages[0].content[0].type',
        /Document \(PDF\)/,
      ],
      [
        { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 5 }] },
        'tools[0].type',
        /web_search_20250305/,
      ],
      [{ ...base, top_k: 40 }, 'top_k', /top_k/],
      [{ ...base, container: 'container_011' }, 'container', /container/],
      [
        {
          ...base,
          messages: [
            { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }] },
          ],
        },
        'messages[0].content[0].type',
        /Thinking blocks/,
      ],
      [
        {
          ...base,
          messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'f' } }] }],
        },
        'messages[0].content[0].source.type',
        /Files API/,
      ],
      [{ ...base, output_config: { effort: 'high' } }, 'output_config.effort', /effort/],
    ];
    for (const [body, param, message] of cases) {
      const error = refusal(body);
      expect(error.code).toBe('unsupported_feature');
      expect(error.status).toBe(400);
      expect(error.param).toBe(param);
      expect(error.message).toMatch(message);
    }
    // Thinking explicitly disabled is no feature at all.
    expect(anthropicToChatRequest({ ...base, thinking: { type: 'disabled' } }).ok).toBe(true);
  });

  it('rejects malformed requests as invalid_request naming the field', () => {
    const cases: [unknown, string][] = [
      [{ model: 'm', messages: base.messages }, 'max_tokens'],
      [{ ...base, max_tokens: 1.5 }, 'max_tokens'],
      [{ ...base, messages: [] }, 'messages'],
      [{ ...base, messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ ...base, messages: [{ role: 'user', content: 7 }] }, 'messages[0].content'],
      [
        {
          ...base,
          messages: [{ role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'f', input: 3 }] }],
        },
        'messages[0].content[0].input',
      ],
      [
        { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result' }] }] },
        'messages[0].content[0].tool_use_id',
      ],
      [{ ...base, temperature: 1.5 }, 'temperature'],
      [{ ...base, tools: [{ name: 'f' }] }, 'tools[0].input_schema'],
      [{ ...base, stop_sequences: 'END' }, 'stop_sequences'],
      ['not an object', ''],
    ];
    for (const [body, param] of cases) {
      const error = refusal(body);
      expect([error.code, error.param]).toEqual(['invalid_request', param]);
    }
  });

  it('never throws and always returns a result, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const result = anthropicToChatRequest(body);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 7), content: fc.jsonValue() }),
        ),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (messages, extra) => {
          const result = anthropicToChatRequest({ ...extra, ...base, messages });
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});

type Block = Record<string, unknown>;
/** A message's content as blocks: a string and one text block mean the same. */
const asBlocks = (content: unknown): Block[] =>
  typeof content === 'string' ? [{ type: 'text', text: content }] : (content as Block[]);

describe('Anthropic → canonical → Anthropic', () => {
  const text = fc.string({ minLength: 1, maxLength: 20 });
  const textBlock = text.map((t) => ({ type: 'text', text: t }));
  const image = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('image/jpeg', 'image/png', 'image/gif', 'image/webp'),
        fc.base64String({ minLength: 4, maxLength: 12 }),
      )
      .map(([media_type, data]) => ({ type: 'image', source: { type: 'base64', media_type, data } })),
    fc.webUrl({ validSchemes: ['https'] }).map((url) => ({ type: 'image', source: { type: 'url', url } })),
  );
  // Tool input crosses OpenAI's `arguments`, a JSON string, so it is kept as JSON keeps it: JSON has one zero (a -0
  // the client sends arrives upstream as 0, as JSON.stringify writes it). Generated values are taken through that.
  const input = fc.dictionary(
    fc.string({ maxLength: 5 }),
    fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown),
    { maxKeys: 3 },
  );
  /** A user turn then an assistant turn; tool calls are answered at the start of the next user turn. */
  const exchange = fc.tuple(
    fc.oneof(text, fc.array(fc.oneof(textBlock, image), { minLength: 1, maxLength: 3 })),
    fc.oneof(
      text.map((t) => ({ content: t as unknown, calls: 0 })),
      fc
        .tuple(
          fc.array(textBlock, { maxLength: 2 }),
          fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 6 }), input), {
            minLength: 1,
            maxLength: 3,
          }),
        )
        .map(([texts, calls]) => ({
          content: [
            ...texts,
            ...calls.map(([name, i], n) => ({ type: 'tool_use', id: `toolu_${n}`, name, input: i })),
          ] as unknown,
          calls: calls.length,
        })),
    ),
  );

  it('keeps a random request as it was: system, images, tool use and results, tools, options', () => {
    fc.assert(
      fc.property(
        fc.option(fc.oneof(text, fc.array(textBlock, { minLength: 1, maxLength: 2 })), { nil: undefined }),
        fc.array(exchange, { minLength: 1, maxLength: 4 }),
        fc.record(
          {
            temperature: fc.double({ min: 0, max: 1, noNaN: true }),
            top_p: fc.double({ min: 0, max: 1, noNaN: true }),
            stop_sequences: fc.array(text, { minLength: 1, maxLength: 2 }),
            metadata: text.map((user_id) => ({ user_id })),
            stream: fc.constant(true),
            tools: fc.array(
              fc.record({
                name: fc.string({ minLength: 1, maxLength: 6 }),
                description: text,
                input_schema: fc.constant({ type: 'object', properties: {} }),
              }),
              { minLength: 1, maxLength: 2 },
            ),
            tool_choice: fc.oneof(
              fc.constant({ type: 'none' }),
              fc.record(
                { type: fc.constantFrom('auto', 'any'), disable_parallel_tool_use: fc.constant(true) },
                { requiredKeys: ['type'] },
              ),
              fc.record(
                { type: fc.constant('tool'), name: text, disable_parallel_tool_use: fc.constant(true) },
                { requiredKeys: ['type', 'name'] },
              ),
            ),
          },
          { requiredKeys: [] },
        ),
        (system, exchanges, options) => {
          const messages: Record<string, unknown>[] = [];
          let pendingCalls = 0;
          for (const [userContent, assistant] of exchanges) {
            const results = Array.from({ length: pendingCalls }, (_, n) => ({
              type: 'tool_result',
              tool_use_id: `toolu_${n}`,
              content: `r${n}`,
            }));
            messages.push({
              role: 'user',
              content: results.length > 0 ? [...results, ...asBlocks(userContent)] : userContent,
            });
            messages.push({ role: 'assistant', content: assistant.content });
            pendingCalls = assistant.calls;
          }
          const request = {
            model: 'claude-haiku-4-5',
            max_tokens: 512,
            messages,
            ...options,
            ...(system === undefined ? {} : { system }),
          };
          const canonical = anthropicToChatRequest(request);
          if (!canonical.ok) throw new Error(canonical.error.message);
          const back = chatRequestToAnthropic(canonical.value, 'claude-haiku-4-5');
          if (!back.ok) throw new Error(back.error.message);
          const normal = (body: Record<string, unknown>) => ({
            ...body,
            messages: (body.messages as Record<string, unknown>[]).map((m) => ({
              ...m,
              content: asBlocks(m.content),
            })),
          });
          expect(normal(back.value.body as unknown as Record<string, unknown>)).toEqual(normal(request));
        },
      ),
      { numRuns: 300 },
    );
  });
});
