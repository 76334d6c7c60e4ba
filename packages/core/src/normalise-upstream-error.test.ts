import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_UPSTREAM_MESSAGE_CHARS, normaliseUpstreamError } from './normalise-upstream-error';

const KEY = 'sk-upstream-9f8e7d6c5b4a';

describe('normaliseUpstreamError', () => {
  it('keeps sane fields as they are', () => {
    const fields = {
      message: 'The model `x` does not exist or you do not have access to it.',
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    };
    expect(normaliseUpstreamError(fields, [KEY])).toEqual(fields);
    expect(normaliseUpstreamError({ message: 'm', type: null, code: 400, param: null }, [])).toEqual({
      message: 'm',
      type: null,
      code: '400',
      param: null,
    });
  });

  it('redacts the credential from every field', () => {
    const out = normaliseUpstreamError(
      { message: `bad key ${KEY}`, type: 'invalid_request_error', code: `k_${KEY}`, param: KEY },
      [KEY],
    );
    expect(out).toEqual({
      message: 'bad key [redacted]',
      type: 'invalid_request_error',
      code: 'k_[redacted]',
      param: '[redacted]',
    });
  });

  it('drops what is not sane: control characters, lone surrogates, long or multi-word codes, odd types', () => {
    const out = normaliseUpstreamError(
      {
        message: `a\u0000b\u001bc\ud800d\ttab\nline`,
        type: 'Invalid Type!',
        code: 'two words',
        param: 'x'.repeat(201),
      },
      [],
    );
    expect(out).toEqual({ message: 'abcd\ttab\nline', type: null, code: null, param: null });
    expect(normaliseUpstreamError({ message: ' \u0000 ', type: null, code: null, param: null }, [])).toEqual({
      message: null,
      type: null,
      code: null,
      param: null,
    });
    expect(normaliseUpstreamError(null, [KEY]).message).toBeNull();
  });

  it('cuts a long message, after redaction, never through a surrogate pair', () => {
    const long = `${'é'.repeat(MAX_UPSTREAM_MESSAGE_CHARS - 1)}😀 and ${KEY}`;
    const out = normaliseUpstreamError({ message: long, type: null, code: null, param: null }, [KEY]);
    expect(out.message).toBe(`${'é'.repeat(MAX_UPSTREAM_MESSAGE_CHARS - 1)}…`);
  });

  it('never returns the credential or an unprintable character, whatever the upstream sent', () => {
    const field = fc.oneof(
      fc.constant(null),
      fc.string({ unit: 'binary' }),
      fc.string().map((s) => `${s}${KEY}${s}`),
      fc.string().map((s) => `${s}${encodeURIComponent(KEY)}`),
    );
    fc.assert(
      fc.property(field, field, field, field, (message, type, code, param) => {
        const out = normaliseUpstreamError({ message, type, code, param }, [KEY]);
        for (const value of Object.values(out)) {
          if (value === null) continue;
          expect(value).not.toContain(KEY.slice(0, 12));
          // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
          expect(value).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
        }
      }),
    );
  });
});
