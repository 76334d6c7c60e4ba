import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatChunkBody, ChatRequestBody } from '../canonical-chat';
import { chatRequestToCompletions } from './chat-request-to-completions';
import { chatResponseToCompletions } from './chat-response-to-completions';
import { ChatToCompletionsStream } from './chat-to-completions-stream';
import { CompletionsToChatStream, completionsResponseToChat } from './completions-to-chat';
import { completionsToChatRequest } from './completions-to-chat-request';

describe('chatRequestToCompletions', () => {
  it('sends one user message as the prompt, and comes back the same through completionsToChatRequest', () => {
    const req: ChatRequestBody = {
      model: 'public',
      messages: [{ role: 'user', content: 'The cat' }],
      max_tokens: 20,
      stop: ['.'],
      temperature: 0.5,
    };
    const out = chatRequestToCompletions(req, 'gpt-3.5-turbo-instruct');
    expect(out).toEqual({
      ok: true,
      value: {
        body: {
          model: 'gpt-3.5-turbo-instruct',
          prompt: 'The cat',
          max_tokens: 20,
          stop: ['.'],
          temperature: 0.5,
        },
      },
    });
    if (!out.ok) return;
    expect(completionsToChatRequest({ ...out.value.body, model: 'public' })).toEqual({
      ok: true,
      value: req,
    });
  });

  it.each([
    [
      {
        model: 'm',
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u' },
        ],
      },
      'messages',
    ],
    [{ model: 'm', messages: [{ role: 'assistant', content: 'a' }] }, 'messages'],
    [
      {
        model: 'm',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
      },
      'messages[0].content',
    ],
    [{ model: 'm', messages: [{ role: 'user', content: 'u' }], tools: [] }, 'tools'],
  ] as [ChatRequestBody, string][])('refuses what a prompt cannot hold: %j', (req, param) => {
    const out = chatRequestToCompletions(req, 'up');
    expect(out.ok === false && [out.error.code, out.error.param]).toEqual(['unsupported_feature', param]);
  });
});

describe('completionsResponseToChat', () => {
  it('reads each choice text and the usage; refuses what is not a completion', () => {
    const chat = chatResponseToCompletions({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 5,
      model: 'x',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'length' }],
      usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
    });
    expect(completionsResponseToChat(chat, 'public')).toEqual({
      ok: true,
      value: {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 5,
        model: 'public',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'length' }],
        usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
      },
    });
    for (const body of [null, {}, { choices: [{}] }, { choices: [{ text: 3 }] }]) {
      expect(completionsResponseToChat(body, 'm').ok).toBe(false);
    }
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        expect(typeof completionsResponseToChat(body, 'm').ok).toBe('boolean');
      }),
    );
  });
});

describe('chat chunks → completions stream → chat chunks', () => {
  it('gives back each choice text, finish and usage; never throws on any data', () => {
    const pieces = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 1 }), fc.string({ minLength: 1, maxLength: 5 })),
      {
        maxLength: 10,
      },
    );
    fc.assert(
      fc.property(pieces, fc.boolean(), (list, withUsage) => {
        const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
        const chunks: ChatChunkBody[] = list.map(([index, content]) => ({
          ...base,
          choices: [{ index, delta: { content }, finish_reason: null }],
        }));
        chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'length' }] });
        if (withUsage) {
          chunks.push({
            ...base,
            choices: [],
            usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 },
          });
        }
        const encoder = new ChatToCompletionsStream({ includeUsage: true });
        const frames = [...chunks.flatMap((c) => encoder.push(c)), ...encoder.end()];
        const decoder = new CompletionsToChatStream('public');
        const back = frames.flatMap((frame) => decoder.push(frame.data));
        expect(decoder.done).toBe(true);
        for (const index of [0, 1]) {
          const text = back
            .flatMap((c) => c.choices.filter((choice) => choice.index === index))
            .map((choice) => choice.delta.content ?? '')
            .join('');
          expect(text).toBe(
            list
              .filter(([i]) => i === index)
              .map(([, t]) => t)
              .join(''),
          );
        }
        expect(back.some((c) => c.choices.some((choice) => choice.finish_reason === 'length'))).toBe(true);
        expect(back.find((c) => c.usage)?.usage ?? null).toEqual(
          withUsage ? { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } : null,
        );
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
          ),
        ),
        (datas) => {
          const decoder = new CompletionsToChatStream('m');
          for (const data of datas) expect(Array.isArray(decoder.push(data))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
