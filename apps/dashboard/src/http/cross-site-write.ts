/** Methods that change nothing; every other method is a write. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Why a cookie-carrying write must be refused as cross-site, or null when it may proceed. A browser sends `Origin`
 * on every non-GET request (and `Sec-Fetch-Site` on every request), so a write from a page of another origin —
 * including another port of the same host, which SameSite=Lax cookies do not stop — carries that origin here.
 * The console's own origins are its public URL (NEXTAUTH_URL) and the origin the request was addressed to (its
 * Host header, which a cross-site page cannot choose). A request with neither header does not come from a
 * browser and so cannot carry a victim's cookie by accident.
 */
export function crossSiteWriteRefusal(
  req: { method: string; headers: Headers; url: string },
  publicUrl: string | undefined,
): string | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const own = new Set([new URL(req.url).origin]);
  if (publicUrl !== undefined) own.add(new URL(publicUrl).origin);
  const origin = req.headers.get('origin');
  if (origin !== null) {
    if (own.has(origin)) return null;
    return `Cross-site request refused: Origin ${origin} is not this console (${[...own].join(' or ')}).`;
  }
  const site = req.headers.get('sec-fetch-site');
  if (site === null || site === 'same-origin' || site === 'none') return null;
  return `Cross-site request refused: Sec-Fetch-Site is ${site}.`;
}
