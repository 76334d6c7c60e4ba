/** What a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/**
 * Shortest run of a secret's characters that counts as a leak of it: a masked echo (`sk-proj-****wxyz`) or a
 * prefix carries at least this much of the key.
 */
const MIN_PARTIAL = 8;

/** Characters a credential (or an echo of one: masked, URL-encoded, base64) is made of. */
const TOKEN = /[A-Za-z0-9_\-.~+/=*%]+/g;

/**
 * Removes a secret from a text an upstream wrote, wherever and however it appears: as is, URL-encoded, in
 * base64 (a Basic credential), and any token that carries 8 or more consecutive characters of it (a masked
 * echo such as `sk-upstr****9q2w`, a prefix, a fragment). Over-redacting a word that happens to be part of the
 * secret is the accepted price. Secrets shorter than 8 characters are only removed whole.
 */
export function redactSecret(text: string, secret: string): string {
  if (secret.length === 0 || text.length === 0) return text;
  let out = text;
  const b64 = Buffer.from(secret, 'utf8');
  for (const form of [
    secret,
    encodeURIComponent(secret),
    b64.toString('base64'),
    b64.toString('base64url'),
  ]) {
    if (out.includes(form)) out = out.split(form).join(REDACTED);
  }
  if (secret.length < MIN_PARTIAL) return out;
  const grams = new Set<string>();
  for (let i = 0; i + MIN_PARTIAL <= secret.length; i++) grams.add(secret.slice(i, i + MIN_PARTIAL));
  return out.replace(TOKEN, (token) => {
    for (let i = 0; i + MIN_PARTIAL <= token.length; i++) {
      if (grams.has(token.slice(i, i + MIN_PARTIAL))) return REDACTED;
    }
    return token;
  });
}
