/** The cap on request bodies anyone may send without signing in (sign-in forms are a few hundred bytes). */
export const UNAUTHENTICATED_BODY_LIMIT_BYTES = 64 * 1024;

/** True when a declared Content-Length is over `limit`: refuse before reading a byte. */
export function declaresBodyOver(headers: Headers, limit: number): boolean {
  const length = headers.get('content-length');
  return length !== null && (!/^\d+$/.test(length.trim()) || Number(length) > limit);
}

/**
 * The body as text, or null as soon as it passes `limit` bytes: a chunked body with no Content-Length is read only
 * that far and the rest is cancelled, never buffered whole.
 */
export async function readBodyCapped(req: Request, limit: number): Promise<string | null> {
  if (declaresBodyOver(req.headers, limit)) return null;
  if (req.body === null) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
