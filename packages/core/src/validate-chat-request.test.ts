import { describe, expect, it } from 'vitest';
import { validateChatRequest } from './validate-chat-request';

const messages = [{ role: 'user', content: 'hi' }];

function paramOf(body: unknown): string | null {
  const result = validateChatRequest(body);
  if (result.ok) return null;
  expect(result.error.status).toBe(400);
  expect(result.error.code).toBe('invalid_request');
  return result.error.param;
}

describe('validateChatRequest', () => {
  it('names the first bad field', () => {
    expect(paramOf([])).toBe('body');
    expect(paramOf(null)).toBe('body');
    expect(paramOf({ messages })).toBe('model');
    expect(paramOf({ model: '', messages })).toBe('model');
    expect(paramOf({ model: 42, messages })).toBe('model');
    expect(paramOf({ model: 'm' })).toBe('messages');
    expect(paramOf({ model: 'm', messages: 'hi' })).toBe('messages');
    expect(paramOf({ model: 'm', messages: [] })).toBe('messages');
    expect(paramOf({ model: 'm', messages: ['hi'] })).toBe('messages[0]');
    expect(paramOf({ model: 'm', messages: [...messages, { role: 'wizard' }] })).toBe('messages[1].role');
    expect(paramOf({ model: 'm', messages, stream: 'yes' })).toBe('stream');
    expect(paramOf({ model: 'm', messages, stream_options: 'x' })).toBe('stream_options');
    expect(paramOf({ model: 'm', messages, max_tokens: 0 })).toBe('max_tokens');
    expect(paramOf({ model: 'm', messages, max_tokens: 1.5 })).toBe('max_tokens');
    expect(paramOf({ model: 'm', messages, max_completion_tokens: -1 })).toBe('max_completion_tokens');
    expect(paramOf({ model: 'm', messages, n: 0 })).toBe('n');
    expect(paramOf({ model: 'm', messages, n: 129 })).toBe('n');
  });

  it('refuses a model that cannot be stored on the usage row: NUL, unpaired surrogate, over 256 characters', () => {
    const messageOf = (model: string) => {
      const result = validateChatRequest({ model, messages });
      return result.ok ? null : [result.error.param, result.error.message];
    };
    expect(messageOf('gpt\u0000x')).toEqual(['model', "Invalid 'model': contains a NUL character."]);
    expect(messageOf('gpt\ud800')).toEqual([
      'model',
      "Invalid 'model': contains an unpaired UTF-16 surrogate (not valid Unicode text).",
    ]);
    expect(messageOf('m'.repeat(6_000))).toEqual([
      'model',
      "Invalid 'model': string too long. Expected at most 256 characters, got 6000.",
    ]);
    expect(messageOf('m'.repeat(256))).toBeNull();
    expect(messageOf('modèle-😀')).toBeNull();
  });

  it('accepts a valid request, keeps the body whole and reads the stream flags', () => {
    const body = { model: 'm', messages, tools: [{ type: 'function' }], unknown_field: 1, max_tokens: 5 };
    expect(validateChatRequest(body)).toEqual({
      ok: true,
      value: { model: 'm', stream: false, includeUsage: false, maxTokens: 5, choices: 1, body },
    });
    const streamed = validateChatRequest({
      model: 'm',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(streamed).toMatchObject({ ok: true, value: { stream: true, includeUsage: true } });
    expect(validateChatRequest({ model: 'm', messages, n: 5 })).toMatchObject({
      ok: true,
      value: { choices: 5 },
    });
    // include_usage without streaming means nothing.
    expect(
      validateChatRequest({ model: 'm', messages, stream_options: { include_usage: true } }),
    ).toMatchObject({
      ok: true,
      value: { stream: false, includeUsage: false },
    });
    expect(validateChatRequest({ model: 'm', messages, stream: null, max_tokens: null })).toMatchObject({
      ok: true,
    });
  });
});
