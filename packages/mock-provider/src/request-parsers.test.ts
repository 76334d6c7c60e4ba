import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAnthropicMessage } from './anthropic/build-message';
import { buildMessageEvents } from './anthropic/message-stream-events';
import { anthropicContentText, parseMessagesRequest } from './anthropic/parse-messages-request';
import {
  buildGenerateContentChunks,
  buildGenerateContentResponse,
} from './gemini/build-generate-content-response';
import { parseGenerateContentRequest } from './gemini/parse-generate-content-request';
import { parseImagesRequest } from './images';
import { parseCompletionsRequest, planCompletions } from './legacy-completions';
import { parseChatRequest } from './parse-chat-request';
import { planReply } from './plan-reply';
import { buildResponse } from './responses/build-response';
import { parseResponsesRequest } from './responses/parse-responses-request';
import { buildResponseEvents } from './responses/response-stream-events';

/** JSON values a client could send, biased towards the fields each protocol reads. */
const json = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<unknown>;
/** Mostly a valid value, sometimes any JSON, so both the accepted and the refused paths run. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: json, weight: 1 });
const text = fc.oneof(fc.string(), fc.constant('a  b\tc'), fc.constant(''));
const block = fc.oneof(
  fc.record({ type: fc.constant('text'), text }),
  fc.record({
    type: fc.constant('tool_result'),
    tool_use_id: fc.string(),
    content: fc.oneof(text, fc.array(fc.record({ type: fc.constant('text'), text }))),
  }),
  fc.record({ type: fc.constant('tool_use'), id: fc.string(), name: fc.string(), input: json }),
  json,
);
const schema = fc.oneof(
  json,
  fc.record({
    type: fc.constantFrom('object', 'string', 'array', 'integer'),
    properties: fc.dictionary(fc.string(), json),
    required: fc.array(fc.string()),
  }),
);

const anthropicBody = fc.record(
  {
    model: mostly(fc.string()),
    max_tokens: mostly(fc.integer({ min: 0, max: 50 })),
    system: fc.oneof(text, fc.array(block), json),
    messages: mostly(
      fc.array(
        fc.record({
          role: fc.constantFrom('user', 'assistant', 'user', 'tool'),
          content: fc.oneof(text, fc.array(block)),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    ),
    tools: mostly(
      fc.array(
        fc.record({
          name: fc.string({ minLength: 1 }),
          input_schema: schema,
          type: fc.constantFrom(undefined, 'custom', 'web_search_20250305'),
        }),
        { maxLength: 3 },
      ),
    ),
    tool_choice: fc.oneof(
      fc.record({
        type: fc.constantFrom('auto', 'any', 'tool', 'none', 'x'),
        name: fc.string(),
        disable_parallel_tool_use: fc.boolean(),
      }),
      json,
    ),
    cache_control: fc.oneof(
      fc.record({ type: fc.constant('ephemeral'), ttl: fc.constantFrom('5m', '1h') }),
      json,
    ),
    stream: fc.oneof(fc.boolean(), json),
  },
  { requiredKeys: ['model', 'max_tokens', 'messages'] },
);

const geminiPart = fc.oneof(
  fc.record({ text }),
  fc.record({ functionCall: fc.record({ name: fc.string(), args: json }) }),
  fc.record({ functionResponse: fc.record({ name: fc.string(), response: json }) }),
  json,
);
const geminiBody = fc.record(
  {
    contents: mostly(
      fc.array(
        fc.record({
          role: fc.constantFrom('user', 'model', 'user', 'x'),
          parts: fc.array(geminiPart, { minLength: 1, maxLength: 3 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    systemInstruction: fc.oneof(fc.record({ parts: fc.array(geminiPart) }), text, json),
    tools: mostly(
      fc.array(
        fc.record({
          functionDeclarations: fc.array(
            fc.record({ name: fc.string({ minLength: 1 }), parameters: schema }),
          ),
        }),
      ),
    ),
    toolConfig: fc.oneof(
      fc.record({
        functionCallingConfig: fc.record({
          mode: fc.constantFrom('AUTO', 'ANY', 'NONE', 'x'),
          allowedFunctionNames: fc.array(fc.string()),
        }),
      }),
      json,
    ),
    generationConfig: mostly(
      fc.record(
        {
          maxOutputTokens: fc.integer({ min: 0, max: 40 }),
          candidateCount: fc.integer({ min: 0, max: 9 }),
          responseMimeType: fc.constantFrom('application/json', 'text/plain'),
          responseSchema: schema,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['contents'] },
);

const responsesBody = fc.record(
  {
    model: mostly(fc.string()),
    input: mostly(
      fc.oneof(
        text,
        fc.array(
          fc.oneof(
            fc.record({
              role: fc.constantFrom('user', 'assistant'),
              content: fc.oneof(text, fc.array(fc.record({ type: fc.constant('input_text'), text }))),
            }),
            fc.record({
              type: fc.constant('function_call_output'),
              call_id: fc.string(),
              output: fc.oneof(text, json),
            }),
            json,
          ),
        ),
      ),
    ),
    instructions: mostly(text),
    tools: mostly(
      fc.array(
        fc.record({ type: fc.constant('function'), name: fc.string({ minLength: 1 }), parameters: schema }),
      ),
    ),
    tool_choice: mostly(fc.constantFrom('auto', 'none', 'required')),
    max_output_tokens: mostly(fc.integer({ min: 10, max: 40 })),
    text: mostly(
      fc.record({
        format: fc.record({
          type: fc.constantFrom('text', 'json_object', 'json_schema'),
          name: fc.string(),
          schema,
        }),
      }),
    ),
  },
  { requiredKeys: ['model', 'input'] },
);

const meta = { id: 'x', model: 'm', toolUseId: 'toolu_x' };
const tokens = { input: 1, cacheCreation: 0, cacheRead: 0, output: 1, ttl: '5m' as const };

describe('request parsers over what a client controls', () => {
  it('Anthropic: never throw; an accepted request builds a Message and a stream whose text deltas add up to it', () => {
    fc.assert(
      fc.property(anthropicBody, (body) => {
        const parsed = parseMessagesRequest(body);
        if (!parsed.ok) {
          expect(parsed.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
          return;
        }
        const reply = planReply(parsed.value.reply);
        const message = buildAnthropicMessage(reply, meta, tokens);
        const events = buildMessageEvents(reply, meta, tokens).map(
          (e) =>
            JSON.parse(e.split('\n')[1]!.slice('data: '.length)) as {
              type: string;
              delta?: { text?: string };
            },
        );
        expect(events[0]?.type).toBe('message_start');
        expect(events.at(-1)?.type).toBe('message_stop');
        if (reply.kind === 'text') {
          expect(events.map((e) => e.delta?.text ?? '').join('')).toBe(
            (message.content[0] as { text: string }).text,
          );
        }
        expect(
          parsed.value.cachePrefix === undefined ||
            parsed.value.cachePrefix.tokens <= parsed.value.inputTokens,
        ).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('Gemini: never throw; an accepted request builds a response and chunks whose text adds up to it', () => {
    fc.assert(
      fc.property(geminiBody, (body) => {
        const parsed = parseGenerateContentRequest(body);
        if (!parsed.ok) {
          expect(parsed.error.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
          return;
        }
        const reply = planReply(parsed.value.reply);
        const gm = { model: 'm', responseId: 'r', candidateCount: parsed.value.candidateCount };
        const response = buildGenerateContentResponse(reply, gm);
        const chunks = buildGenerateContentChunks(reply, gm).map(
          (c) => JSON.parse(c.slice('data: '.length)) as ReturnType<typeof buildGenerateContentResponse>,
        );
        const texts = chunks
          .map((c) => (c.candidates[0]!.content.parts[0] as { text?: string }).text ?? '')
          .join('');
        const whole = (response.candidates[0]!.content.parts[0] as { text?: string }).text;
        if (whole !== undefined) expect(texts).toBe(whole);
        expect(chunks.at(-1)?.usageMetadata).toEqual(response.usageMetadata);
      }),
    );
  });

  it('Responses: never throw; the stream ends with the same response the body has', () => {
    fc.assert(
      fc.property(responsesBody, (body) => {
        const parsed = parseResponsesRequest(body);
        if (!parsed.ok) {
          expect(parsed.error.error.type).toBe('invalid_request_error');
          return;
        }
        const reply = planReply(parsed.value.reply);
        const rm = {
          id: 'resp_x',
          messageId: 'msg_x',
          functionCallId: 'fc_x',
          callId: 'call_x',
          createdAt: 1,
        };
        const events = buildResponseEvents(reply, rm, parsed.value);
        const last = JSON.parse(events.at(-1)!.split('\n')[1]!.slice('data: '.length)) as {
          response: unknown;
        };
        expect(last.response).toEqual(JSON.parse(JSON.stringify(buildResponse(reply, rm, parsed.value))));
      }),
    );
  });

  it('chat, completions and images: never throw on any JSON body', () => {
    fc.assert(
      fc.property(
        json,
        fc.record(
          { model: json, prompt: json, n: json, size: json, messages: json, response_format: json },
          { requiredKeys: [] },
        ),
        (any, shaped) => {
          for (const body of [any, shaped]) {
            parseChatRequest(body);
            parseImagesRequest(body);
            const completions = parseCompletionsRequest(body);
            if (completions.ok && completions.value.n * completions.value.prompts.length < 1000)
              planCompletions(completions.value);
          }
        },
      ),
    );
  });

  it('reads a nested tool_result one level deep only, however deep a caller nests it', () => {
    let content: unknown = [{ type: 'text', text: 'deep' }];
    for (let i = 0; i < 100_000; i++) content = [{ type: 'tool_result', content }];
    expect(anthropicContentText(content)).toBe('');
    expect(anthropicContentText([{ type: 'tool_result', content: [{ type: 'text', text: 'a b' }] }])).toBe(
      'a b',
    );
  });
});
