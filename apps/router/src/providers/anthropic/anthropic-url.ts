/** A base URL that already names an API version (`…/v1`), as OpenAI-compatible base URLs do. */
const VERSIONED = /\/v\d+$/;

/**
 * The URL of an Anthropic API path (`messages`, `models`) under a provider's base URL. Anthropic documents its
 * base URL without the version (`https://api.anthropic.com`, what `@anthropic-ai/sdk` takes), while this
 * router's OpenAI base URLs include `/v1`; both are accepted, so an operator may paste either:
 * `https://api.anthropic.com` and `https://api.anthropic.com/v1` both give `https://api.anthropic.com/v1/messages`.
 * A trailing slash is ignored.
 */
export function anthropicUrl(baseUrl: string, path: 'messages' | 'models'): string {
  const base = baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl;
  return VERSIONED.test(base) ? `${base}/${path}` : `${base}/v1/${path}`;
}
