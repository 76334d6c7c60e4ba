import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANTHROPIC_VERSION, anthropicAdapter as adapter } from './anthropic-adapter';
import { anthropicStreamEventReader } from './anthropic-stream-event-reader';
import { anthropicUrl } from './anthropic-url';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const MESSAGE = JSON.parse(fixture('message.json')) as Record<string, unknown>;
const STREAM_DATA = fixture('message-stream.chunks.txt')
  .split('\n')
  .filter((line) => line.startsWith('data: '))
  .map((line) => line.slice('data: '.length));

describe('anthropic adapter', () => {
  it('accepts a base URL with or without /v1, as Anthropic documents it without', () => {
    expect(anthropicUrl('https://api.anthropic.com', 'messages')).toBe(
      'https://api.anthropic.com/v1/messages',
    );
    expect(anthropicUrl('https://api.anthropic.com/', 'messages')).toBe(
      'https://api.anthropic.com/v1/messages',
    );
    expect(anthropicUrl('https://api.anthropic.com/v1', 'messages')).toBe(
      'https://api.anthropic.com/v1/messages',
    );
    expect(anthropicUrl('http://proxy/anthropic/v1/', 'models')).toBe('http://proxy/anthropic/v1/models');
    expect(adapter.buildHealthCheck({ baseUrl: 'https://api.anthropic.com', credential: 'sk-ant' })).toEqual({
      url: 'https://api.anthropic.com/v1/models',
      headers: { 'x-api-key': 'sk-ant', 'anthropic-version': ANTHROPIC_VERSION },
    });
  });

  it('passes a native body through with only the model replaced, unknown fields and cache markers kept', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string().filter((k) => k !== 'model' && k !== '__proto__'),
          fc.jsonValue(),
        ),
        fc.boolean(),
        (extra, stream) => {
          const body = { ...extra, model: 'public', max_tokens: 5, messages: [] };
          const before = JSON.stringify(body);
          const built = adapter.buildChatCall({
            baseUrl: 'http://up',
            credential: 'sk-ant-x',
            upstreamModel: 'claude-x',
            body,
            form: 'native',
            stream,
          });
          expect(built.ok).toBe(true);
          if (!built.ok) return;
          expect(JSON.parse(built.value.body)).toEqual(
            JSON.parse(JSON.stringify({ ...body, model: 'claude-x' })),
          );
          expect(JSON.stringify(body)).toBe(before);
          expect(built.value.url).toBe('http://up/v1/messages');
          expect(built.value.headers).toMatchObject({
            'x-api-key': 'sk-ant-x',
            'anthropic-version': '2023-06-01',
            'content-type': 'application/json',
            accept: stream ? 'text/event-stream' : 'application/json',
          });
        },
      ),
    );
  });

  it('forwards the caller’s anthropic-beta with its native body only', () => {
    const call = (form: 'native' | 'canonical') =>
      adapter.buildChatCall({
        baseUrl: 'http://up',
        credential: 'k',
        upstreamModel: 'claude-x',
        body: { model: 'p', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
        form,
        stream: false,
        nativeHeaders: { 'anthropic-beta': 'context-1m-2025-08-07' },
      });
    const native = call('native');
    expect(native.ok && native.value.headers['anthropic-beta']).toBe('context-1m-2025-08-07');
    const canonical = call('canonical');
    expect(canonical.ok && 'anthropic-beta' in canonical.value.headers).toBe(false);
  });

  it('translates a canonical body, and refuses by name what Anthropic cannot honour', () => {
    const body = {
      model: 'public',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
      max_tokens: 20,
    };
    const built = adapter.buildChatCall({
      baseUrl: 'http://up/v1',
      credential: 'k',
      upstreamModel: 'claude-x',
      body,
      form: 'canonical',
      stream: false,
    });
    expect(built.ok && JSON.parse(built.value.body)).toEqual({
      model: 'claude-x',
      max_tokens: 20,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
    });
    for (const [field, value] of [
      ['n', 3],
      ['logprobs', true],
    ] as const) {
      const refused = adapter.buildChatCall({
        baseUrl: 'http://up',
        credential: 'k',
        upstreamModel: 'claude-x',
        body: { ...body, [field]: value },
        form: 'canonical',
        stream: false,
      });
      expect(refused.ok ? null : [refused.error.code, refused.error.param, refused.error.status]).toEqual([
        'unsupported_feature',
        field,
        400,
      ]);
    }
  });

  it('reads a recorded Message: usage (cache reads in the prompt), text and the canonical answer', () => {
    expect(adapter.readUsage(MESSAGE)).toMatchObject({ outputTokens: 89, malformed: false });
    expect(adapter.readResponseText(MESSAGE)).toContain('get_weather');
    const canonical = adapter.toCanonicalResponse(MESSAGE, { model: 'm', created: 1, fallbackId: 'x' });
    expect(canonical.ok && canonical.value.choices[0]?.finish_reason).toBe('tool_calls');
    expect(
      adapter.toCanonicalResponse({ type: 'not-a-message' }, { model: 'm', created: 1, fallbackId: 'x' }).ok,
    ).toBe(false);
  });

  it('reads usage across a recorded stream, and its text, as the router relays it', () => {
    const read = anthropicStreamEventReader();
    const infos = STREAM_DATA.map((data) => read(data));
    expect(infos.at(-1)?.done).toBe(true);
    expect(infos.slice(0, -1).every((info) => !info.done && !info.usageOnly)).toBe(true);
    // message_start's placeholder output (2 here) is no count: the output is unknown until message_delta.
    expect(infos[0]?.usage).toMatchObject({ inputTokens: 600, outputTokens: null });
    const last = infos.filter((info) => info.usage !== null).at(-1)?.usage;
    expect(last).toMatchObject({ inputTokens: 600, cachedInputTokens: 128, outputTokens: 89 });
    expect(STREAM_DATA.map((data) => adapter.readStreamText(data)).join('')).toBe(
      'Okay, let\'s check the weather for San Francisco, CA:get_weather{"location": "San Francisco, CA", "unit": "fahrenheit"}',
    );
  });

  it("tells the upstream's in-stream error event from every other event", () => {
    const read = anthropicStreamEventReader();
    expect(read(fixture('error-overloaded.json')).error).toBe(true);
    expect(
      read('{"type": "error", "error": {"type": "api_error", "message": "Internal server error"}}').error,
    ).toBe(true);
    // An event that only names an error (a tool called "error", text quoting one) is none.
    expect(
      read('{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","name":"error"}}')
        .error,
    ).not.toBe(true);
    expect(STREAM_DATA.some((data) => read(data).error === true)).toBe(false);
  });

  it('reads a recorded error body', () => {
    expect(adapter.readError(fixture('error-overloaded.json'))).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
      code: null,
      param: null,
    });
  });

  it('never throws and reports only non-negative integer counts, whatever an upstream stream sends', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.jsonValue(), fc.string())), (events) => {
        const read = anthropicStreamEventReader();
        for (const event of events) {
          for (const data of [
            typeof event === 'string' ? event : JSON.stringify(event),
            JSON.stringify({ type: 'message_delta', usage: event }),
            JSON.stringify({ type: 'message_start', message: { usage: event } }),
          ]) {
            const info = read(data);
            adapter.readStreamText(data);
            const report = info.usage;
            if (report === null) continue;
            for (const [field, value] of Object.entries(report)) {
              if (field === 'malformed' || value === null) continue;
              expect(Number.isSafeInteger(value) && (value as number) >= 0).toBe(true);
            }
          }
        }
        adapter.readResponseText(events);
        adapter.readUsage({ usage: events });
      }),
    );
  });
});
