import { readFileSync } from 'node:fs';
import { type ChatChunkBody, SseEventSplitter, sseEventData } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { streamTranslator } from '../../pipeline/stream-translator';
import { openAiChatSurface } from '../../surfaces/openai-chat/openai-chat-surface';
import { geminiAdapter as adapter } from './gemini-adapter';

const FIXTURES = new URL('../../../../../packages/core/src/protocols/gemini/fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const STREAM_EVENTS = fixture('stream-text.chunks.txt').trim().split('\n');
const CONTEXT = { model: 'gemini-2.5-flash', created: 1, fallbackId: 'chatcmpl-x' };

describe('gemini adapter', () => {
  it('passes a Gemini body through unchanged, the model in the URL, the key in x-goog-api-key', () => {
    const body = {
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
      futureField: { a: 1 },
    };
    const built = adapter.buildChatCall({
      baseUrl: 'https://generativelanguage.googleapis.com/',
      credential: 'AIza-test',
      upstreamModel: 'gemini-2.5-flash',
      body,
      form: 'native',
      stream: false,
    });
    if (!built.ok) throw new Error(built.error.message);
    expect(built.value.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(built.value.headers['x-goog-api-key']).toBe('AIza-test');
    expect(built.value.headers.authorization).toBeUndefined();
    expect(JSON.parse(built.value.body)).toEqual(body);

    const streamed = adapter.buildChatCall({
      baseUrl: 'http://mock/v1beta',
      credential: 'k',
      upstreamModel: 'models/tuned x',
      body: { ...body, model: 'models/public' },
      form: 'native',
      stream: true,
    });
    if (!streamed.ok) throw new Error(streamed.error.message);
    expect(streamed.value.url).toBe('http://mock/v1beta/models/tuned%20x:streamGenerateContent?alt=sse');
    expect(JSON.parse(streamed.value.body).model).toBe('models/tuned%20x');
  });

  it('translates a canonical body, and refuses by name what Gemini cannot honour', () => {
    const built = adapter.buildChatCall({
      baseUrl: 'http://g',
      credential: 'k',
      upstreamModel: 'gemini-2.5-flash',
      body: {
        model: 'public',
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'user', content: 'hi' },
        ],
        max_tokens: 7,
      },
      form: 'canonical',
      stream: false,
    });
    if (!built.ok) throw new Error(built.error.message);
    expect(JSON.parse(built.value.body)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
      systemInstruction: { parts: [{ text: 'Be terse.' }] },
      generationConfig: { maxOutputTokens: 7 },
    });
    const refused = adapter.buildChatCall({
      baseUrl: 'http://g',
      credential: 'k',
      upstreamModel: 'gemini-2.5-flash',
      body: { model: 'm', messages: [{ role: 'user', content: 'hi' }], logprobs: true },
      form: 'canonical',
      stream: false,
    });
    expect(refused.ok ? null : [refused.error.code, refused.error.param]).toEqual([
      'unsupported_feature',
      'logprobs',
    ]);
  });

  it('reads usage as Google bills it: thoughts are output, cached tokens are part of the input', () => {
    const body = JSON.parse(fixture('generate-response-function-call.json'));
    expect(adapter.readUsage(body)).toEqual({
      inputTokens: 62,
      outputTokens: 84,
      totalTokens: 146,
      cachedInputTokens: 32,
      reasoningTokens: 54,
      cacheWriteTokens: null,
      malformed: false,
    });
    expect(adapter.readUsage({ candidates: [] })).toBeNull();
    expect(adapter.readUsage({ usageMetadata: 'lots' })?.malformed).toBe(true);
    expect(adapter.readResponseText(body)).toBe(
      'Checking both cities.get_weather{"city":"Paris"}get_weather{"city":"Lyon"}',
    );
  });

  it('ends a stream at the event naming a finish reason, and takes the last usage as the bill', () => {
    const infos = STREAM_EVENTS.map((data) => adapter.readStreamEvent(data));
    expect(infos.map((info) => info.done)).toEqual([false, false, true]);
    expect(infos.every((info) => !info.usageOnly)).toBe(true);
    expect(infos[2]?.usage?.outputTokens).toBe(12 + 29);
    expect(adapter.readStreamEvent('{"error":{"code":500,"message":"x","status":"INTERNAL"}}')).toEqual({
      usage: null,
      usageOnly: false,
      done: false,
    });
    expect(adapter.readStreamEvent('{"candidates":[],"promptFeedback":{"blockReason":"SAFETY"}}').done).toBe(
      true,
    );
    expect(adapter.readStreamText(STREAM_EVENTS[1] as string)).toBe(
      ' a time, a small robot learned to paint.',
    );
  });

  it("relays Google's CRLF-framed stream through the router's splitter, translated to OpenAI chunks", () => {
    // Google ends every event with \r\n\r\n; feed it in awkward slices, splitting inside the terminators.
    const wire = STREAM_EVENTS.map((data) => `data: ${data}\r\n\r\n`).join('');
    const parsed = openAiChatSurface.parse(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      {},
    );
    if (!parsed.ok) throw new Error('unparsed');
    const translator = streamTranslator(adapter, openAiChatSurface, parsed.value, CONTEXT);
    const splitter = new SseEventSplitter();
    let out = '';
    let events = 0;
    for (let i = 0; i < wire.length; i += 7) {
      for (const event of splitter.push(wire.slice(i, i + 7))) {
        const data = sseEventData(event);
        if (data === null) continue;
        events++;
        out += translator.event(data, adapter.readStreamEvent(data).done);
      }
    }
    expect(events).toBe(3);
    expect(splitter.rest()).toBe('');
    const frames = out.split('\n\n').filter((f) => f.length > 0);
    expect(frames.at(-1)).toBe('data: [DONE]');
    const chunks = frames.slice(0, -1).map((f) => JSON.parse(f.slice(6)) as ChatChunkBody);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'Once upon a time, a small robot learned to paint.',
    );
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null).filter((r) => r !== null)).toEqual([
      'stop',
    ]);
    expect(chunks.at(-1)?.usage).toEqual({
      prompt_tokens: 9,
      completion_tokens: 41,
      total_tokens: 50,
      completion_tokens_details: { reasoning_tokens: 29 },
    });
  });

  it('answers in canonical chat, and an answer that is not Gemini fails the translation', () => {
    const answer = adapter.toCanonicalResponse(JSON.parse(fixture('generate-response-text.json')), CONTEXT);
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.value.object).toBe('chat.completion');
    expect(answer.value.choices[0]?.finish_reason).toBe('stop');
    expect(adapter.toCanonicalResponse({ candidates: 'nope' }, CONTEXT).ok).toBe(false);
  });

  it('never throws on whatever an upstream sends as an answer or a stream event', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, text) => {
        const data = JSON.stringify(value);
        for (const input of [data, text]) {
          const info = adapter.readStreamEvent(input);
          expect(typeof info.done).toBe('boolean');
          adapter.readStreamText(input);
          adapter.createStreamDecoder(CONTEXT).decode(input);
        }
        adapter.readUsage(value);
        adapter.readResponseText(value);
        adapter.readError(data);
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          adapter.toCanonicalResponse(value, CONTEXT);
      }),
    );
  });
});
