import type { IncomingMessage } from 'node:http';
import { type ChatChunkBody, gatewayError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicMessagesSurface as surface } from './anthropic-messages-surface';

const withHeaders = (headers: Record<string, string | undefined>) =>
  ({ headers }) as unknown as IncomingMessage;
const V = { 'anthropic-version': '2023-06-01' };

const errorCode = (result: { ok: boolean; error?: { code: string } }) =>
  result.ok ? null : result.error?.code;

describe('anthropic-messages surface', () => {
  it('requires anthropic-version, then reads the key from x-api-key or Authorization: Bearer', () => {
    expect(surface.readKey(withHeaders({ ...V, 'x-api-key': 'sk-a' }), '/')).toEqual({
      ok: true,
      value: 'sk-a',
    });
    expect(surface.readKey(withHeaders({ ...V, authorization: 'Bearer sk-b' }), '/')).toEqual({
      ok: true,
      value: 'sk-b',
    });
    const noVersion = surface.readKey(withHeaders({ 'x-api-key': 'sk-a' }), '/');
    expect(noVersion.ok ? null : [noVersion.error.status, noVersion.error.param]).toEqual([
      400,
      'anthropic-version',
    ]);
    expect(errorCode(surface.readKey(withHeaders(V), '/'))).toBe('missing_api_key');
    expect(errorCode(surface.readKey(withHeaders({ ...V, authorization: 'Basic x' }), '/'))).toBe(
      'invalid_api_key',
    );
  });

  it('reads the caller’s anthropic-beta for the fast path, repeated headers as one list', () => {
    const read = surface.readNativeHeaders;
    expect(read?.(withHeaders({ 'anthropic-beta': ' a-1 ' }))).toEqual({ 'anthropic-beta': 'a-1' });
    expect(read?.({ headers: { 'anthropic-beta': ['a-1', 'b-2'] } } as unknown as IncomingMessage)).toEqual({
      'anthropic-beta': 'a-1,b-2',
    });
    expect(read?.(withHeaders({}))).toBeNull();
  });

  it('parses a Messages body: the caller’s body native, its translation canonical', () => {
    const body = {
      model: 'm',
      max_tokens: 7,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    };
    const parsed = surface.parse(body, {});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.native).toEqual({ protocol: 'anthropic-messages', body });
    expect(parsed.value.native.body).toBe(body);
    expect(parsed.value).toMatchObject({ model: 'm', stream: true, maxTokens: 7, choices: 1 });
    expect(parsed.value.canonicalRefusal).toBeUndefined();
    expect(parsed.value.body).toMatchObject({
      model: 'm',
      max_tokens: 7,
      stream: true,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hi' },
      ],
    });
  });

  it('keeps a body only Anthropic can serve for the fast path, with the refusal for any other target', () => {
    const body = {
      model: 'm',
      max_tokens: 7,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hello', cache_control: { type: 'ephemeral' } }] },
      ],
      brand_new_field: 1,
    };
    const parsed = surface.parse(body, {});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.native.body).toBe(body);
    expect(parsed.value.canonicalRefusal?.code).toBe('unsupported_feature');
    // The stand-in still carries the prompt's text, for limits and estimates.
    expect(JSON.stringify(parsed.value.body.messages)).toContain('hello');
  });

  it('names the field of a malformed body', () => {
    const param = (json: unknown) => {
      const parsed = surface.parse(json, {});
      return parsed.ok ? null : parsed.error.param;
    };
    expect(param({ max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })).toBe('model');
    expect(param({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).toBe('max_tokens');
    expect(param({ model: 'm', max_tokens: 1, messages: [] })).toBe('messages');
    expect(
      param({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }], stream: 'yes' }),
    ).toBe('stream');
    expect(param([1])).toBe('body');
    expect(surface.requestedModel({ model: 'm' }, {})).toBe('m');
    expect(surface.requestedModel(null, {})).toBe('');
  });

  it('never throws on what a client sends: a request, or a 400 naming a field', () => {
    const messages = fc.array(
      fc.record({ role: fc.constantFrom('user', 'assistant', 'system', 'x'), content: fc.jsonValue() }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              model: fc.oneof(fc.string(), fc.jsonValue()),
              max_tokens: fc.oneof(fc.nat(), fc.jsonValue()),
              messages: fc.oneof(messages, fc.jsonValue()),
              stream: fc.oneof(fc.boolean(), fc.jsonValue()),
              system: fc.jsonValue(),
              tools: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        ),
        (json) => {
          const parsed = surface.parse(json, {});
          if (parsed.ok) {
            expect(parsed.value.native.body).toBe(json);
            expect(typeof parsed.value.model).toBe('string');
          } else {
            expect(parsed.error.status).toBe(400);
            expect(typeof parsed.error.param).toBe('string');
          }
        },
      ),
    );
  });

  it('ends a broken stream with Anthropic’s error event carrying the request id', () => {
    const text = surface.streamError(gatewayError('upstream_timeout', 'stalled'), 'req_1');
    expect(text.startsWith('event: error\ndata: ')).toBe(true);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(text.slice('event: error\ndata: '.length))).toEqual({
      type: 'error',
      error: { type: 'timeout_error', message: 'stalled', details: { error_code: 'upstream_timeout' } },
      request_id: 'req_1',
    });
  });

  it('encodes canonical chunks as Anthropic’s event sequence, one SSE event per frame', () => {
    const parsed = surface.parse(
      { model: 'pub', max_tokens: 9, messages: [{ role: 'user', content: 'x' }] },
      {},
    );
    if (!parsed.ok) throw new Error('unparsed');
    const chunk = (delta: ChatChunkBody['choices'][number]['delta'], finish: 'stop' | null = null) =>
      ({
        id: 'c',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'up',
        choices: [{ index: 0, delta, finish_reason: finish }],
      }) as ChatChunkBody;
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 5 }), (pieces) => {
        const encoder = surface.createStreamEncoder(parsed.value);
        let text = encoder.encode(chunk({ role: 'assistant', content: '' }));
        for (const piece of pieces) text += encoder.encode(chunk({ content: piece }));
        text += encoder.encode(chunk({}, 'stop'));
        text += encoder.end();
        const events = text
          .split('\n\n')
          .filter((e) => e !== '')
          .map((e) => {
            const [event, data, ...rest] = e.split('\n');
            expect(rest).toEqual([]);
            return {
              event: event?.slice('event: '.length),
              data: JSON.parse(data?.slice('data: '.length) ?? ''),
            };
          });
        expect(events[0]?.event).toBe('message_start');
        expect(events[0]?.data.message.model).toBe('pub');
        expect(events.at(-1)?.event).toBe('message_stop');
        expect(events.at(-2)?.data.delta.stop_reason).toBe('end_turn');
        const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta.text);
        expect(deltas.join('')).toBe(pieces.join(''));
        for (const e of events) expect(e.data.type).toBe(e.event);
      }),
    );
  });
});
