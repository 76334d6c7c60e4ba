/**
 * The provider's base URL is Google's API origin (`https://generativelanguage.googleapis.com`); the API version is
 * the adapter's. A base URL configured with the version (`…/v1beta`) or a trailing slash means the same.
 */
export function geminiApiRoot(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '')}/v1beta`;
}

/** `models/<name>` (or a tuned model's own resource name), each path segment percent-encoded. */
export function geminiModelResource(upstreamModel: string): string {
  const name = /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
  return name.split('/').map(encodeURIComponent).join('/');
}
