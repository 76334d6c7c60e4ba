import type { IncomingMessage } from 'node:http';
import type { ChatChunkBody } from '@switchyard/core';
import { gatewayError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAiChatSurface as surface } from './openai-chat-surface';

const withAuth = (authorization?: string) => ({ headers: { authorization } }) as unknown as IncomingMessage;

function chunk(content: string, usage?: ChatChunkBody['usage']): ChatChunkBody {
  const body: ChatChunkBody = {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: usage ? [] : [{ index: 0, delta: { content }, finish_reason: null }],
  };
  if (usage) body.usage = usage;
  return body;
}

describe('openai-chat surface', () => {
  it('reads the key from Authorization: Bearer, and names a missing or malformed one', () => {
    expect(surface.readKey(withAuth('Bearer sk-abc'), '/')).toEqual({ ok: true, value: 'sk-abc' });
    const missing = surface.readKey(withAuth(), '/');
    expect(missing.ok ? null : missing.error.code).toBe('missing_api_key');
    const malformed = surface.readKey(withAuth('Basic x'), '/');
    expect(malformed.ok ? null : malformed.error.code).toBe('invalid_api_key');
  });

  it('parses a chat request whose native body is its canonical body', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 5 };
    const parsed = surface.parse(body, {});
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.native).toEqual({ protocol: 'openai-chat', body });
    expect(parsed.value.body).toBe(body);
    expect(parsed.value.native.body).toBe(body);
    expect(parsed.value.maxTokens).toBe(5);
    expect(parsed.value.stream).toBe(true);
    expect(parsed.value.includeUsage).toBe(false);
  });

  it('names the field of a bad request, and the model it asked for when it has one', () => {
    const parsed = surface.parse({ model: 'm', messages: [] }, {});
    expect(parsed.ok ? null : parsed.error.param).toBe('messages');
    expect(surface.requestedModel({ model: 'm' }, {})).toBe('m');
    expect(surface.requestedModel({ model: 3 }, {})).toBe('');
    expect(surface.requestedModel(null, {})).toBe('');
  });

  it('ends a broken stream with an OpenAI error event carrying the request id', () => {
    const text = surface.streamError(gatewayError('upstream_timeout', 'stalled'), 'req_1');
    expect(text.endsWith('\n\n')).toBe(true);
    expect(JSON.parse(text.slice('data: '.length))).toEqual({
      error: { message: 'stalled', type: 'api_error', code: 'upstream_timeout', request_id: 'req_1' },
    });
  });

  it('encodes canonical chunks as data events, the usage chunk only when asked for, then [DONE]', () => {
    const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    const parsed = surface.parse(
      { model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true },
      {},
    );
    const asked = surface.parse(
      {
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      {},
    );
    if (!parsed.ok || !asked.ok) throw new Error('unparsed');
    const plain = surface.createStreamEncoder(parsed.value);
    const withUsage = surface.createStreamEncoder(asked.value);
    expect(plain.encode(chunk('', usage))).toBe('');
    expect(JSON.parse(withUsage.encode(chunk('', usage)).slice(6))).toEqual(chunk('', usage));
    expect(plain.end()).toBe('data: [DONE]\n\n');
    fc.assert(
      fc.property(fc.string(), (content) => {
        const text = plain.encode(chunk(content));
        expect(text.startsWith('data: ')).toBe(true);
        expect(text.endsWith('\n\n')).toBe(true);
        // One SSE event: a JSON text never holds a raw newline, so the frame cannot split.
        expect(text.slice(0, -2).includes('\n')).toBe(false);
        expect(JSON.parse(text.slice(6))).toEqual(chunk(content));
      }),
    );
  });
});
