import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type ChatChunkBody, type ChatResponseBody, formatSseFrames } from '../canonical-chat';
import { chatResponseToCompletions } from './chat-response-to-completions';
import { ChatToCompletionsStream } from './chat-to-completions-stream';
import { completionsErrorBody } from './completions-error-body';
import { completionsToChatRequest } from './completions-to-chat-request';

const chunks = (): ChatChunkBody[] =>
  readFileSync(new URL('./fixtures/chat-text.chunks.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as ChatChunkBody);

const completion: ChatResponseBody = {
  id: 'chatcmpl-Zz9',
  object: 'chat.completion',
  created: 1765000500,
  model: 'upstream-model',
  choices: [
    { index: 0, message: { role: 'assistant', content: ' sat on the mat.' }, finish_reason: 'length' },
  ],
  usage: { prompt_tokens: 5, completion_tokens: 16, total_tokens: 21, cache_write_tokens: 0 },
};

/** An openai client whose fetch records the body it sent and answers with `answer(body)`. */
function client(answer: (sent: Record<string, unknown>) => Response) {
  const sent: Record<string, unknown>[] = [];
  const fetchFn = (async (_url: unknown, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
    sent.push(body);
    return answer(body);
  }) as typeof fetch;
  return {
    sent,
    openai: new OpenAI({
      apiKey: 'sk-test',
      baseURL: 'http://gateway.test/v1',
      fetch: fetchFn,
      maxRetries: 0,
    }),
  };
}

describe('legacy completions through the openai SDK', () => {
  it('non-streaming: prompt → one user message (capped at 16 tokens by default); text and usage come back', async () => {
    const { sent, openai } = client(
      () =>
        new Response(JSON.stringify(chatResponseToCompletions(completion, { model: 'instruct-public' })), {
          headers: { 'content-type': 'application/json' },
        }),
    );
    const result = await openai.completions.create({
      model: 'instruct-public',
      prompt: 'The cat',
      temperature: 0,
    });
    expect(completionsToChatRequest(sent[0])).toEqual({
      ok: true,
      value: {
        model: 'instruct-public',
        messages: [{ role: 'user', content: 'The cat' }],
        max_tokens: 16,
        temperature: 0,
      },
    });
    expect(result).toEqual({
      id: 'cmpl-Zz9',
      object: 'text_completion',
      created: 1765000500,
      model: 'instruct-public',
      choices: [{ text: ' sat on the mat.', index: 0, logprobs: null, finish_reason: 'length' }],
      usage: { prompt_tokens: 5, completion_tokens: 16, total_tokens: 21 },
    });
  });

  it('streaming: the SDK yields the text chunk by chunk, then usage when asked for, and stops at [DONE]', async () => {
    const { sent, openai } = client((body) => {
      const chat = completionsToChatRequest(body);
      const encoder = new ChatToCompletionsStream({
        model: 'instruct-public',
        includeUsage: chat.ok && chat.value.stream_options?.include_usage === true,
      });
      const text = formatSseFrames([...chunks().flatMap((c) => encoder.push(c)), ...encoder.end()]);
      return new Response(text, { headers: { 'content-type': 'text/event-stream' } });
    });
    const stream = await openai.completions.create({
      model: 'instruct-public',
      prompt: ['Say hello'],
      max_tokens: 50,
      stream: true,
      stream_options: { include_usage: true },
    });
    const texts: string[] = [];
    let usage: unknown = null;
    let finish: unknown = null;
    for await (const chunk of stream) {
      for (const choice of chunk.choices) {
        texts.push(choice.text);
        if (choice.finish_reason) finish = choice.finish_reason;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(completionsToChatRequest(sent[0])).toMatchObject({
      ok: true,
      value: { messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 50, stream: true },
    });
    expect(texts).toEqual(['Hello', ', world', '! ✓', '']);
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 19, completion_tokens: 5, total_tokens: 24 });
  });

  it('a refusal is a BadRequestError naming the parameter', async () => {
    const { openai } = client((body) => {
      const chat = completionsToChatRequest(body);
      if (chat.ok) throw new Error('expected a refusal');
      const { error } = chat;
      return new Response(
        completionsErrorBody(
          error.status,
          { message: error.message, type: 'invalid_request_error', code: error.code, param: error.param },
          'req_c1',
        ),
        { status: error.status, headers: { 'content-type': 'application/json' } },
      );
    });
    const error = await openai.completions
      .create({ model: 'instruct-public', prompt: 'x', echo: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    if (!(error instanceof OpenAI.BadRequestError)) return;
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('echo');
  });
});

describe('completionsToChatRequest', () => {
  const base = { model: 'm', prompt: 'p' };
  it.each([
    [{ ...base, echo: true }, 'echo'],
    [{ ...base, logprobs: 2 }, 'logprobs'],
    [{ ...base, suffix: 'end' }, 'suffix'],
    [{ ...base, best_of: 3 }, 'best_of'],
    [{ ...base, prompt: ['a', 'b'] }, 'prompt'],
    [{ ...base, prompt: [1, 2, 3] }, 'prompt'],
    [{ ...base, tools: [] }, 'tools'],
  ])('refuses what a chat model cannot honour: %j', (body, param) => {
    const result = completionsToChatRequest(body);
    expect(result.ok === false && [result.error.code, result.error.param]).toEqual([
      'unsupported_feature',
      param,
    ]);
  });

  it.each([
    [[], 'body'],
    [{ prompt: 'p' }, 'model'],
    [{ model: 'm' }, 'prompt'],
    [{ model: 'm', prompt: {} }, 'prompt'],
    [{ ...base, max_tokens: -1 }, 'max_tokens'],
    [{ ...base, stop: [1] }, 'stop'],
  ])('names the bad field: %j', (body, param) => {
    const result = completionsToChatRequest(body);
    expect(result.ok === false && [result.error.code, result.error.param]).toEqual([
      'invalid_request',
      param,
    ]);
  });

  it('carries stop, penalties, seed, n and best_of 1 over', () => {
    expect(
      completionsToChatRequest({
        ...base,
        stop: ['\n'],
        presence_penalty: 0.5,
        seed: 3,
        n: 2,
        best_of: 1,
        echo: false,
      }),
    ).toEqual({
      ok: true,
      value: {
        model: 'm',
        messages: [{ role: 'user', content: 'p' }],
        max_tokens: 16,
        stop: ['\n'],
        presence_penalty: 0.5,
        seed: 3,
        n: 2,
      },
    });
  });

  it('never throws on any body', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            model: fc.jsonValue(),
            prompt: fc.jsonValue(),
            stop: fc.jsonValue(),
            best_of: fc.jsonValue(),
          }),
        ),
        (body) => {
          expect(typeof completionsToChatRequest(body).ok).toBe('boolean');
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('ChatToCompletionsStream', () => {
  it('gives each choice its whole text, whatever the split; never throws on upstream-shaped chunks', () => {
    const pieces = fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.string({ maxLength: 5 })), {
      maxLength: 12,
    });
    fc.assert(
      fc.property(pieces, fc.array(fc.jsonValue(), { maxLength: 3 }), (list, junk) => {
        const encoder = new ChatToCompletionsStream();
        const chunk = (index: number, content: string): ChatChunkBody => ({
          id: 'chatcmpl-1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [{ index, delta: { content }, finish_reason: null }],
        });
        const frames = [
          ...list.flatMap(([index, text]) => encoder.push(chunk(index, text))),
          ...junk.flatMap((value) => encoder.push(value as ChatChunkBody)),
          ...encoder.end(),
        ];
        expect(frames[frames.length - 1]).toEqual({ data: '[DONE]' });
        const got = new Map<number, string>();
        for (const frame of frames.slice(0, -1)) {
          const data = JSON.parse(frame.data) as { choices: { index: number; text: string }[] };
          for (const choice of data.choices)
            got.set(choice.index, (got.get(choice.index) ?? '') + choice.text);
        }
        for (const index of [0, 1, 2]) {
          const want = list
            .filter(([i]) => i === index)
            .map(([, text]) => text)
            .join('');
          expect(got.get(index) ?? '').toBe(want);
        }
      }),
      { numRuns: 500 },
    );
  });
});
