/**
 * Gemini 3 models sign their function calls (`thoughtSignature`, an opaque base64 blob on the `functionCall`
 * part) and refuse the next request (400 "Function call is missing a thought_signature") when the history sends
 * a call of the current turn back without it. OpenAI-shaped callers only echo a tool call's `id`, so the
 * signature rides inside the id, base64url after a marker (`call_0__gts__<signature>`); only `[A-Za-z0-9_-]` is
 * used, so the id stays valid for every protocol's id pattern. It is long (signatures are hundreds of bytes).
 */
const MARKER = '__gts__';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Google documents this value for function calls Gemini did not make itself (history from another model, or a
 * signature lost on the way), so strict validation lets the turn through.
 */
export const GEMINI_SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** A tool-call id carrying the Gemini signature of its call; the id alone if the signature is not base64. */
export function withGeminiSignature(id: string, signature: unknown): string {
  if (typeof signature !== 'string' || !BASE64.test(signature)) return id;
  return `${id}${MARKER}${signature.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** The signature a tool-call id carries (standard base64, as Gemini sent it), or null. */
export function geminiSignatureOf(id: unknown): string | null {
  if (typeof id !== 'string') return null;
  const at = id.indexOf(MARKER);
  if (at < 0) return null;
  const encoded = id.slice(at + MARKER.length);
  if (!BASE64URL.test(encoded)) return null;
  const base64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
  return base64 + '='.repeat((4 - (base64.length % 4)) % 4);
}

/**
 * Whether an upstream model validates signatures strictly (Gemini 3 and later), so a model turn whose calls carry
 * none gets {@link GEMINI_SKIP_SIGNATURE}. Earlier models neither need nor expect it.
 */
export function geminiModelNeedsSignatures(model: string): boolean {
  const match = /gemini-(\d+)/i.exec(model);
  return match !== null && Number(match[1]) >= 3;
}
