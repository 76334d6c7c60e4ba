/**
 * The console's Content-Security-Policy. Next's App Router streams its payload through inline scripts, so scripts
 * are limited to this origin plus inline (no other origin, no eval outside `next dev`); nothing may frame the
 * console, post a form elsewhere, change the base URL or load plugins.
 */
export function contentSecurityPolicy(development: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${development ? ' ws: wss:' : ''}`,
    "frame-ancestors 'none'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ');
}

/** Set on every page and API answer. HSTS only when the request reached us over https (directly or via a proxy). */
export function applySecurityHeaders(
  headers: Headers,
  request: { url: string; headers: Headers },
  development: boolean,
): void {
  headers.set('content-security-policy', contentSecurityPolicy(development));
  headers.set('x-frame-options', 'DENY');
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  headers.set('cross-origin-opener-policy', 'same-origin');
  headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  const https =
    new URL(request.url).protocol === 'https:' ||
    request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  if (https) headers.set('strict-transport-security', 'max-age=31536000; includeSubDomains');
}
