/**
 * The client's address for per-address sign-in throttling: the last X-Forwarded-For hop, i.e. the one added by
 * the nearest proxy (Next sets it from the socket when no proxy did). Without a reverse proxy in front, a client
 * can choose this value, so per-account throttling is what always holds; see docs.
 */
export function clientAddress(
  headers: Headers | Record<string, string | string[] | undefined>,
): string | null {
  const raw = headers instanceof Headers ? headers.get('x-forwarded-for') : headers['x-forwarded-for'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  const last = value?.split(',').at(-1)?.trim();
  return last ? last.slice(0, 64) : null;
}
