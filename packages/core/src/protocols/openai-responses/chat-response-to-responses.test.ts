import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatFinishReason, ChatResponseBody } from '../canonical-chat';
import { chatResponseToResponses } from './chat-response-to-responses';
import { responsesResponseToChat } from './responses-response-to-chat';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

const completion = (
  message: ChatResponseBody['choices'][number]['message'],
  finish: ChatFinishReason | null,
) =>
  ({
    id: 'chatcmpl-Ab1',
    object: 'chat.completion',
    created: 1765000000,
    model: 'upstream-model',
    choices: [{ index: 0, message, finish_reason: finish }],
    usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
  }) satisfies ChatResponseBody;

describe('chatResponseToResponses', () => {
  it('writes the text and tool calls as output items, with usage in Responses names and the request echoed', () => {
    const response = chatResponseToResponses(fixture('chat-completion-tool-calls.json') as ChatResponseBody, {
      idBase: 'req_42',
      model: 'gpt-public',
      request: { model: 'gpt-public', input: 'x', instructions: 'Be brief.', temperature: 0.3 },
      now: () => 1765000201,
    });
    expect(response).toMatchObject({
      id: 'resp_req42',
      object: 'response',
      created_at: 1765000200,
      completed_at: 1765000201,
      status: 'completed',
      error: null,
      incomplete_details: null,
      model: 'gpt-public',
      instructions: 'Be brief.',
      temperature: 0.3,
      tool_choice: 'auto',
      parallel_tool_calls: true,
      output: [
        {
          type: 'message',
          id: 'msg_req42',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
        },
        {
          type: 'function_call',
          id: 'fc_req42_0',
          call_id: 'call_Wx7cA1',
          name: 'get_weather',
          arguments: '{"city": "Paris"}',
          status: 'completed',
        },
      ],
      usage: {
        input_tokens: 88,
        input_tokens_details: { cached_tokens: 64 },
        output_tokens: 21,
        output_tokens_details: { reasoning_tokens: 5 },
        total_tokens: 109,
      },
    });
    expect(response).not.toHaveProperty('output_text');
  });

  it('a length finish is incomplete for max_output_tokens, with the message incomplete', () => {
    const response = chatResponseToResponses(completion({ role: 'assistant', content: 'Half' }, 'length'));
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(response.completed_at).toBeNull();
    expect(response.output).toEqual([
      {
        type: 'message',
        id: 'msg_Ab1',
        role: 'assistant',
        status: 'incomplete',
        content: [{ type: 'output_text', text: 'Half', annotations: [] }],
      },
    ]);
  });

  it('tool calls without text give no message; an empty answer gives an empty message; refusals are parts', () => {
    const onlyCalls = chatResponseToResponses(
      completion(
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }],
        },
        'tool_calls',
      ),
    );
    expect(onlyCalls.output.map((item) => item.type)).toEqual(['function_call']);
    const empty = chatResponseToResponses(completion({ role: 'assistant', content: null }, 'stop'));
    expect(empty.output).toEqual([
      expect.objectContaining({ content: [{ type: 'output_text', text: '', annotations: [] }] }),
    ]);
    const refused = chatResponseToResponses(
      completion({ role: 'assistant', content: null, refusal: 'No.' }, 'stop'),
    );
    expect(refused.output).toEqual([
      expect.objectContaining({ content: [{ type: 'refusal', refusal: 'No.' }] }),
    ]);
  });
});

describe('chatResponseToResponses on a completion an upstream controls', () => {
  it('never throws and always writes a Response with integer usage', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            id: fc.jsonValue(),
            created: fc.jsonValue(),
            usage: fc.jsonValue(),
            choices: fc.oneof(
              fc.jsonValue(),
              fc.array(fc.record({ message: fc.jsonValue(), finish_reason: fc.jsonValue() })),
            ),
          }),
        ),
        (value) => {
          const response = chatResponseToResponses(value as ChatResponseBody);
          expect(response.object).toBe('response');
          expect(Array.isArray(response.output)).toBe(true);
          if (response.usage) expect(Number.isSafeInteger(response.usage.total_tokens)).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('responsesResponseToChat', () => {
  it('reads a recorded incomplete reasoning-model Response: text, length finish, cached and reasoning usage', () => {
    expect(responsesResponseToChat(fixture('openai-response-reasoning.json'), 'public-model')).toEqual({
      ok: true,
      value: {
        id: 'resp_68c1f1b0c1d2e3f4',
        object: 'chat.completion',
        created: 1765000400,
        model: 'public-model',
        choices: [
          { index: 0, message: { role: 'assistant', content: 'The answer is' }, finish_reason: 'length' },
        ],
        usage: {
          prompt_tokens: 1200,
          completion_tokens: 40,
          total_tokens: 1240,
          prompt_tokens_details: { cached_tokens: 1024 },
          completion_tokens_details: { reasoning_tokens: 36 },
        },
      },
    });
  });

  it('fails on what is not a Response, and on a failed one', () => {
    for (const body of [
      null,
      [],
      'x',
      {},
      { id: 'r' },
      { id: 'r', output: [3] },
      { id: 'r', output: [{ type: 'function_call' }] },
    ]) {
      const result = responsesResponseToChat(body, 'm');
      expect(result.ok).toBe(false);
    }
    const failed = responsesResponseToChat(
      { id: 'r', output: [], status: 'failed', error: { code: 'server_error', message: 'boom' } },
      'm',
    );
    expect(failed.ok === false && failed.error.message).toMatch(/boom/);
  });

  it('never throws on any body', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            id: fc.string(),
            output: fc.array(fc.jsonValue()),
            status: fc.jsonValue(),
            usage: fc.jsonValue(),
          }),
        ),
        (body) => {
          expect(typeof responsesResponseToChat(body, 'm').ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('chat → Response → chat keeps the text, tool calls, finish and usage', () => {
    const calls = fc.array(
      fc.record({
        id: fc.stringMatching(/^call_\w{1,6}$/),
        name: fc.constantFrom('f', 'g'),
        args: fc.json(),
      }),
      { maxLength: 3 },
    );
    fc.assert(
      fc.property(
        fc.option(fc.string({ minLength: 1 }), { nil: null }),
        calls,
        fc.constantFrom<ChatFinishReason>('stop', 'length', 'content_filter'),
        fc.record({ p: fc.nat(1e6), c: fc.nat(1e6), cached: fc.nat(1e3), reasoning: fc.nat(1e3) }),
        (text, toolCalls, finish, u) => {
          const resp: ChatResponseBody = {
            ...completion(
              { role: 'assistant', content: text },
              toolCalls.length > 0 && finish === 'stop' ? 'tool_calls' : finish,
            ),
            usage: {
              prompt_tokens: u.p + u.cached,
              completion_tokens: u.c + u.reasoning,
              total_tokens: u.p + u.cached + u.c + u.reasoning,
              prompt_tokens_details: { cached_tokens: u.cached },
              completion_tokens_details: { reasoning_tokens: u.reasoning },
            },
          };
          const message = resp.choices[0]?.message;
          if (message && toolCalls.length > 0) {
            message.tool_calls = toolCalls.map((call) => ({
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: call.args },
            }));
          }
          const back = responsesResponseToChat(
            JSON.parse(JSON.stringify(chatResponseToResponses(resp))),
            'upstream-model',
          );
          expect(back.ok).toBe(true);
          if (!back.ok) return;
          const choice = back.value.choices[0];
          expect(choice?.message.content ?? '').toBe(text ?? '');
          expect(choice?.message.tool_calls ?? []).toEqual(message?.tool_calls ?? []);
          expect(choice?.finish_reason).toBe(resp.choices[0]?.finish_reason);
          expect(back.value.usage).toEqual(resp.usage);
        },
      ),
      { numRuns: 500 },
    );
  });
});
