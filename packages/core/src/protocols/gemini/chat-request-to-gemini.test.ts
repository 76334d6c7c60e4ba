import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatRequestBody } from '../canonical-chat';
import { chatRequestToGemini } from './chat-request-to-gemini';
import { geminiToChatRequest } from './gemini-to-chat-request';

const base = (extra: Partial<ChatRequestBody> = {}): ChatRequestBody => ({
  model: 'public',
  messages: [{ role: 'user', content: 'hi' }],
  ...extra,
});

describe('chatRequestToGemini', () => {
  it('translates a tool conversation with system, images and settings to the Gemini wire shape', () => {
    const result = chatRequestToGemini(
      {
        model: 'public',
        stream: true,
        stream_options: { include_usage: true },
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Use metric units.' }] },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Weather here?' },
              { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_a',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
              },
              { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_a', content: '{"celsius":21}' },
          { role: 'tool', tool_call_id: 'call_b', content: 'noon' },
          { role: 'assistant', content: 'It is 21°C at noon.' },
          { role: 'user', content: 'Thanks' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
          { type: 'function', function: { name: 'get_time' } },
        ],
        tool_choice: 'required',
        max_completion_tokens: 100,
        temperature: 0.1,
        top_p: 0.5,
        stop: 'END',
        n: 2,
        seed: 3,
        presence_penalty: 0.2,
        frequency_penalty: 0.3,
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
        user: 'end-user-1',
      },
      'gemini-2.5-flash',
    );
    expect(result).toEqual({
      ok: true,
      value: {
        method: 'streamGenerateContent',
        path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
        body: {
          systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use metric units.' }] },
          contents: [
            {
              role: 'user',
              parts: [
                { text: 'Weather here?' },
                { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQ' } },
              ],
            },
            {
              role: 'model',
              parts: [
                { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
                { functionCall: { name: 'get_time', args: {} } },
              ],
            },
            {
              role: 'user',
              parts: [
                { functionResponse: { name: 'get_weather', response: { celsius: 21 } } },
                { functionResponse: { name: 'get_time', response: { result: 'noon' } } },
              ],
            },
            { role: 'model', parts: [{ text: 'It is 21°C at noon.' }] },
            { role: 'user', parts: [{ text: 'Thanks' }] },
          ],
          tools: [
            {
              functionDeclarations: [
                {
                  name: 'get_weather',
                  description: 'Weather',
                  parametersJsonSchema: {
                    type: 'object',
                    properties: { city: { type: 'string' } },
                    required: ['city'],
                  },
                },
                { name: 'get_time' },
              ],
            },
          ],
          toolConfig: { functionCallingConfig: { mode: 'ANY' } },
          generationConfig: {
            temperature: 0.1,
            topP: 0.5,
            presencePenalty: 0.2,
            frequencyPenalty: 0.3,
            seed: 3,
            maxOutputTokens: 100,
            candidateCount: 2,
            stopSequences: ['END'],
            responseMimeType: 'application/json',
            responseJsonSchema: { type: 'object' },
          },
        },
      },
    });
  });

  it('maps tool_choice to functionCallingConfig', () => {
    const config = (tool_choice: ChatRequestBody['tool_choice']) => {
      const r = chatRequestToGemini(base({ tool_choice }), 'm');
      return r.ok ? r.value.body.toolConfig : r.error.code;
    };
    expect(config('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(config('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(config({ type: 'function', function: { name: 'f' } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] },
    });
  });

  it('asks the non-streaming method when not streaming, and keeps a models/ prefix', () => {
    const r = chatRequestToGemini(base(), 'models/gemini-2.0-flash-001');
    expect(r.ok && [r.value.method, r.value.path]).toEqual([
      'generateContent',
      '/v1beta/models/gemini-2.0-flash-001:generateContent',
    ]);
  });

  it.each([
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 2 }, 'top_logprobs'],
    [{ logit_bias: { '50256': -100 } }, 'logit_bias'],
    [{ audio: { voice: 'alloy', format: 'wav' } }, 'audio'],
    [{ modalities: ['text', 'audio'] }, 'modalities'],
    [{ parallel_tool_calls: false }, 'parallel_tool_calls'],
    [{ some_future_field: 1 }, 'some_future_field'],
    [{ response_format: { type: 'grammar' } }, 'response_format.type'],
    [{ tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type'],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] },
        ],
      },
      'messages[0].content[0].image_url.url',
    ],
    [
      {
        messages: [
          { role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] },
        ],
      },
      'messages[0].content[0].type',
    ],
  ])('refuses %j as unsupported_feature naming %s', (extra, param) => {
    const result = chatRequestToGemini(base(extra as Partial<ChatRequestBody>), 'm');
    expect(!result.ok && [result.error.code, result.error.param]).toEqual(['unsupported_feature', param]);
  });

  it('lets false/null flags through (logprobs: false is not a request for log probabilities)', () => {
    expect(chatRequestToGemini(base({ logprobs: false, store: false, logit_bias: null }), 'm').ok).toBe(true);
  });

  it.each([
    [{ messages: [{ role: 'system', content: 'only system' }] }, 'messages'],
    [{ messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] }, 'messages[0].tool_call_id'],
    [
      {
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '[1]' } }],
          },
        ],
      },
      'messages[0].tool_calls[0].function.arguments',
    ],
    [{ max_tokens: 0 }, 'max_tokens'],
    [{ temperature: 'hot' }, 'temperature'],
  ])('refuses malformed %j as invalid_request naming %s', (extra, param) => {
    const result = chatRequestToGemini(base(extra as Partial<ChatRequestBody>), 'm');
    expect(!result.ok && [result.error.code, result.error.param]).toEqual(['invalid_request', param]);
  });

  it('never throws, whatever the body', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(typeof chatRequestToGemini(body as ChatRequestBody, 'm').ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.record(
            {
              role: fc.constantFrom('system', 'user', 'assistant', 'tool'),
              content: fc.jsonValue(),
              tool_calls: fc.jsonValue(),
              tool_call_id: fc.jsonValue(),
            },
            { requiredKeys: ['role'] },
          ),
        ),
        fc.dictionary(
          fc.constantFrom('tools', 'tool_choice', 'stop', 'n', 'response_format', 'max_tokens'),
          fc.jsonValue(),
        ),
        (messages, extra) => {
          const body = { model: 'x', messages, ...extra } as unknown as ChatRequestBody;
          expect(typeof chatRequestToGemini(body, 'm').ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ---- round trip: canonical → Gemini → canonical keeps the supported subset ----

const jsonObject = fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), {
  maxKeys: 3,
});
const dataUrl = fc
  .tuple(
    fc.constantFrom('image/png', 'image/jpeg', 'image/webp'),
    fc.base64String({ minLength: 4, maxLength: 24 }),
  )
  .map(([type, data]) => `data:${type};base64,${data}`);
const toolName = fc.constantFrom('get_weather', 'get_time', 'search_docs');

const userMessage: fc.Arbitrary<ChatMessage> = fc.oneof(
  fc.string({ maxLength: 30 }).map((content) => ({ role: 'user' as const, content })),
  fc
    .tuple(fc.string({ maxLength: 30 }), fc.array(dataUrl, { minLength: 1, maxLength: 2 }))
    .map(([text, urls]) => ({
      role: 'user' as const,
      content: [
        { type: 'text' as const, text },
        ...urls.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
      ],
    })),
);

/** An assistant turn, and the tool results that answer it (ids are placeholders numbered later). */
const assistantTurn: fc.Arbitrary<ChatMessage[]> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }).map((content) => [{ role: 'assistant' as const, content }]),
  fc
    .tuple(
      fc.option(fc.string({ minLength: 1, maxLength: 20 }), { nil: null }),
      fc.array(fc.tuple(toolName, jsonObject, jsonObject), { minLength: 1, maxLength: 3 }),
    )
    .map(([content, calls]) => [
      {
        role: 'assistant' as const,
        content,
        tool_calls: calls.map(([name, args]) => ({
          id: '',
          type: 'function' as const,
          function: { name, arguments: JSON.stringify(args) },
        })),
      },
      ...calls.map(([, , result]) => ({
        role: 'tool' as const,
        tool_call_id: '',
        content: JSON.stringify(result),
      })),
    ]),
);

const conversation = fc
  .tuple(
    fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
    fc.array(fc.tuple(userMessage, assistantTurn), { minLength: 1, maxLength: 4 }),
    fc.option(userMessage, { nil: undefined }),
  )
  .map(([system, exchanges, last]) => {
    const messages: ChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
    let id = 0;
    let pending: string[] = [];
    for (const [user, turn] of exchanges) {
      messages.push(user);
      for (const message of turn) {
        if (message.tool_calls) {
          pending = message.tool_calls.map((call) => {
            call.id = `id_${id++}`;
            return call.id;
          });
        }
        if (message.role === 'tool') message.tool_call_id = pending.shift() ?? '';
        messages.push(message);
      }
    }
    if (last) messages.push(last);
    return messages;
  });

const settings = fc.record(
  {
    max_tokens: fc.integer({ min: 1, max: 8192 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    top_p: fc.double({ min: 0, max: 1, noNaN: true }),
    stop: fc.array(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 4 }),
    n: fc.integer({ min: 2, max: 4 }),
    tools: fc.uniqueArray(toolName, { minLength: 1, maxLength: 3 }).map((names) =>
      names.map((name) => ({
        type: 'function' as const,
        function: { name, description: `does ${name}`, parameters: { type: 'object', properties: {} } },
      })),
    ),
  },
  { requiredKeys: [] },
);

/** Tool-call ids become their order of appearance: Gemini does not carry the caller's ids. */
function canonicalIds(messages: ChatMessage[]): ChatMessage[] {
  const order = new Map<string, string>();
  return messages.map((message) => {
    const copy = { ...message };
    if (copy.tool_calls) {
      copy.tool_calls = copy.tool_calls.map((call) => {
        const n = `#${order.size}`;
        order.set(call.id, n);
        return { ...call, id: n };
      });
    }
    if (copy.role === 'tool') copy.tool_call_id = order.get(copy.tool_call_id ?? '') ?? 'missing';
    return copy;
  });
}

describe('canonical → Gemini → canonical', () => {
  it('keeps system, turns, images, tool calls, tool results, tools and settings', () => {
    fc.assert(
      fc.property(conversation, settings, fc.boolean(), (messages, extra, stream) => {
        const original: ChatRequestBody = { model: 'public', messages, ...extra };
        if (original.tools && extra.n === undefined) original.tool_choice = 'required';
        const out = chatRequestToGemini(original, 'gemini-2.5-flash');
        if (!out.ok) throw new Error(JSON.stringify(out.error));
        const back = geminiToChatRequest(JSON.parse(JSON.stringify(out.value.body)), {
          model: 'public',
          stream,
        });
        if (!back.ok) throw new Error(JSON.stringify(back.error));
        const expected: ChatRequestBody = { ...original, messages: canonicalIds(original.messages) };
        if (stream) Object.assign(expected, { stream: true, stream_options: { include_usage: true } });
        expect({ ...back.value, messages: canonicalIds(back.value.messages) }).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
