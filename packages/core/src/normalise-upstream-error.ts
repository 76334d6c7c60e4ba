import { redactSecret } from './redact-secret';

/**
 * The fields of an upstream's error object as its adapter found them, before anything is trusted: each is
 * what the upstream sent (a string, or a number for codes some providers send as numbers), null when absent.
 */
export interface UpstreamErrorFields {
  message: string | null;
  type: string | null;
  code: string | number | null;
  param: string | null;
}

/** An upstream error fit to show a caller: bounded, printable, free of the gateway's credentials. */
export interface NormalisedUpstreamError {
  /** Null when the upstream sent none worth showing; the surface then words its own. */
  message: string | null;
  type: string | null;
  code: string | null;
  param: string | null;
}

/** Longest upstream message shown to a caller; the rest is cut with an ellipsis. */
export const MAX_UPSTREAM_MESSAGE_CHARS = 2_000;
const MAX_PARAM_CHARS = 200;
const MAX_CODE_CHARS = 100;

// C0 controls but tab and newline, DEL, C1 controls, and lone surrogates: nothing a caller should be handed.
const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const ONE_WORD = /^[^\s\u0000-\u001f\u007f-\u009f]+$/;
const ERROR_TYPE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Makes an upstream's error presentable in the caller's protocol: every field is redacted of each secret (the
 * account's credential: see {@link redactSecret}) and then kept only when sane — a message without control
 * characters, at most {@link MAX_UPSTREAM_MESSAGE_CHARS}; a `param` of at most 200 printable characters; a
 * `code` that is one word of at most 100; a lower-case `type`. Redaction comes first, so no cut can leave
 * a fragment of a secret behind.
 */
export function normaliseUpstreamError(
  fields: UpstreamErrorFields | null,
  secrets: readonly string[],
): NormalisedUpstreamError {
  if (!fields) return { message: null, type: null, code: null, param: null };
  const clean = (value: string | number | null): string | null => {
    if (value === null) return null;
    let text = String(value);
    for (const secret of secrets) text = redactSecret(text, secret);
    text = text.replace(UNPRINTABLE, '').trim();
    return text.length === 0 ? null : text;
  };
  let message = clean(fields.message);
  if (message !== null && message.length > MAX_UPSTREAM_MESSAGE_CHARS) {
    // Cut before a surrogate pair rather than through it.
    const end = /[\ud800-\udbff]/.test(message.charAt(MAX_UPSTREAM_MESSAGE_CHARS - 1))
      ? MAX_UPSTREAM_MESSAGE_CHARS - 1
      : MAX_UPSTREAM_MESSAGE_CHARS;
    message = `${message.slice(0, end)}…`;
  }
  const param = clean(fields.param);
  const code = clean(fields.code);
  const type = clean(fields.type);
  return {
    message,
    type: type !== null && ERROR_TYPE.test(type) ? type : null,
    code: code !== null && code.length <= MAX_CODE_CHARS && ONE_WORD.test(code) ? code : null,
    param: param !== null && param.length <= MAX_PARAM_CHARS && !param.includes('\n') ? param : null,
  };
}
