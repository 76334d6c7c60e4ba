/** The api-version used when the provider's base URL names none: Azure OpenAI's GA data-plane version. */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** A resource endpoint split into what every call's URL is made of. */
interface AzureEndpoint {
  /** Scheme, host and any path prefix (an APIM gateway's, say), without a trailing slash or `/openai`. */
  origin: string;
  /** The query every call carries: the base URL's own parameters, `api-version` always among them. */
  query: string;
}

/** Parsed endpoints by base URL: a router has few providers, and the hot path should not re-parse one. */
const endpoints = new Map<string, AzureEndpoint>();
const MAX_CACHED = 256;

/**
 * Reads a provider's base URL: the resource endpoint as the Azure portal shows it
 * (`https://<resource>.openai.azure.com`, a trailing `/openai` accepted too) and optionally
 * `?api-version=<v>` to pin a version other than {@link DEFAULT_AZURE_API_VERSION}; other query parameters are
 * kept on every call.
 */
export function azureEndpoint(baseUrl: string): AzureEndpoint {
  const cached = endpoints.get(baseUrl);
  if (cached !== undefined) return cached;
  const q = baseUrl.indexOf('?');
  let origin = (q === -1 ? baseUrl : baseUrl.slice(0, q)).replace(/\/+$/, '');
  if (origin.endsWith('/openai')) origin = origin.slice(0, -'/openai'.length);
  const params = new URLSearchParams(q === -1 ? '' : baseUrl.slice(q + 1));
  if (!params.get('api-version')) params.set('api-version', DEFAULT_AZURE_API_VERSION);
  const endpoint = { origin, query: params.toString() };
  if (endpoints.size >= MAX_CACHED) endpoints.clear();
  endpoints.set(baseUrl, endpoint);
  return endpoint;
}

/**
 * `{endpoint}/openai/deployments/{deployment}/{operation}?api-version=…` (`chat/completions`, `embeddings`): the
 * deployment is the target's upstream model.
 */
export function azureDeploymentUrl(
  baseUrl: string,
  deployment: string,
  operation: 'chat/completions' | 'embeddings',
): string {
  const { origin, query } = azureEndpoint(baseUrl);
  return `${origin}/openai/deployments/${encodeURIComponent(deployment)}/${operation}?${query}`;
}

/** `{endpoint}/openai/models?api-version=…`: lists the resource's models, spending no tokens. */
export function azureModelsUrl(baseUrl: string): string {
  const { origin, query } = azureEndpoint(baseUrl);
  return `${origin}/openai/models?${query}`;
}
