/**
 * Text PostgreSQL refuses to store: NUL (in `text` and in `jsonb`) and UTF-16 surrogates that are not part of a
 * pair (jsonb rejects their escapes, and they have no UTF-8 encoding). One pass of this cheap pattern clears the
 * common case; only strings it matches are looked at more closely.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is the point.
const SUSPECT = /[\u0000\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored as given. */
export type StorableTextIssue = 'nul' | 'lone_surrogate' | 'too_long';

/**
 * Why `value` cannot be stored as is in a column capped at `maxChars` (UTF-16 code units, what `.length`
 * counts), or null when it can. For input validation: the caller turns the issue into a 400 naming the field.
 */
export function storableTextIssue(value: string, maxChars: number): StorableTextIssue | null {
  if (value.length > maxChars) return 'too_long';
  if (!SUSPECT.test(value)) return null;
  if (value.includes('\u0000')) return 'nul';
  return HAS_LONE_SURROGATE.test(value) ? 'lone_surrogate' : null;
}

/** A sentence for a 400 about field `name`, e.g. "Invalid 'user': contains a NUL character." */
export function describeStorableTextIssue(
  name: string,
  issue: StorableTextIssue,
  maxChars: number,
  length: number,
): string {
  switch (issue) {
    case 'nul':
      return `Invalid '${name}': contains a NUL character.`;
    case 'lone_surrogate':
      return `Invalid '${name}': contains an unpaired UTF-16 surrogate (not valid Unicode text).`;
    case 'too_long':
      return `Invalid '${name}': string too long. Expected at most ${maxChars} characters, got ${length}.`;
  }
}

/**
 * `value` made storable: NUL removed, unpaired surrogates replaced by U+FFFD, cut to `maxChars` without splitting
 * a surrogate pair. Returns `value` itself (no allocation) when it is already storable, which is nearly always.
 */
export function storableText(value: string, maxChars: number): string {
  if (value.length <= maxChars && !SUSPECT.test(value)) return value;
  let text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
  text = text.replace(LONE_SURROGATE, '\ufffd');
  if (text.length <= maxChars) return text;
  const last = text.charCodeAt(maxChars - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxChars - 1 : maxChars);
}
