import type { RateLimitDecision } from './rate-limiter';

/**
 * The rate-limit response headers OpenAI's API sends, so clients and SDKs that read them (for back-off or
 * dashboards) work unchanged against the gateway:
 * `x-ratelimit-limit-requests` / `-tokens` (the per-minute limit), `x-ratelimit-remaining-requests` /
 * `-tokens` (what is left now) and `x-ratelimit-reset-requests` / `-tokens` (time until the limit is back to
 * its initial state, as a Go-style duration: "1s", "6m0s", "120ms"). A dimension no limit applies to is
 * left out. On a refusal it adds `retry-after` (whole seconds, rounded up, as HTTP requires) and
 * `retry-after-ms` (read by the official OpenAI SDKs for a precise back-off).
 */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  // Literal names, no helper closure: the router builds these on every request of a limited key.
  const headers: Record<string, string> = {};
  const requests = decision.requests;
  if (requests) {
    headers['x-ratelimit-limit-requests'] = String(requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(requests.remaining);
    headers['x-ratelimit-reset-requests'] = formatResetDuration(requests.resetMs);
  }
  const tokens = decision.tokens;
  if (tokens) {
    headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    headers['x-ratelimit-reset-tokens'] = formatResetDuration(tokens.resetMs);
  }
  if (!decision.allowed) {
    headers['retry-after'] = String(Math.ceil(decision.retryAfterMs / 1000));
    headers['retry-after-ms'] = String(decision.retryAfterMs);
  }
  return headers;
}

/**
 * Formats milliseconds the way Go's `time.Duration.String` does (which is what OpenAI's reset headers
 * show): "0s", "120ms", "1s", "8.64s", "6m0s", "1h2m3.5s". Fractions of a millisecond are rounded up.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const fraction = String(millis % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const seconds = `${Math.floor(millis / 1000)}${fraction ? `.${fraction}` : ''}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
