import type { ProviderKind } from '@switchyard/core';

/** The authenticated GET that lists what an account can see, and how to read the model ids from its answer. */
export interface ModelListProbe {
  url: string;
  headers: Record<string, string>;
  readModelIds(body: unknown): string[];
}

type ProbeBuilder = (baseUrl: string, credential: string) => ModelListProbe;

const ANTHROPIC_VERSION = '2023-06-01';
const DEFAULT_AZURE_API_VERSION = '2024-10-21';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ data: [{ id }] }`: OpenAI's list shape, also Anthropic's and Azure's. */
function readDataIds(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.data)) return [];
  return body.data.flatMap((entry) => (isRecord(entry) && typeof entry.id === 'string' ? [entry.id] : []));
}

/** `{ models: [{ name: "models/…" }] }`: Gemini's list shape. */
function readGeminiNames(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  return body.models.flatMap((entry) =>
    isRecord(entry) && typeof entry.name === 'string' ? [entry.name.replace(/^models\//, '')] : [],
  );
}

const bearer: ProbeBuilder = (baseUrl, credential) => ({
  url: `${baseUrl}/models`,
  headers: { authorization: `Bearer ${credential}` },
  readModelIds: readDataIds,
});

/**
 * The same calls the routers' health checks make (each adapter's `buildHealthCheck`), as data per kind: the
 * dashboard may not import the router, and a kind the routers do not serve yet (gemini) still gets its native call.
 */
export const MODEL_LIST_PROBES: Record<ProviderKind, ProbeBuilder> = {
  openai: bearer,
  openai_compatible: bearer,
  anthropic: (baseUrl, credential) => ({
    url: `${baseUrl}/models`,
    headers: { 'x-api-key': credential, 'anthropic-version': ANTHROPIC_VERSION },
    readModelIds: readDataIds,
  }),
  gemini: (baseUrl, credential) => ({
    url: `${baseUrl}/models`,
    headers: { 'x-goog-api-key': credential },
    readModelIds: readGeminiNames,
  }),
  azure_openai: (baseUrl, credential) => {
    // As the router's azureEndpoint: the base URL may carry `/openai` and its own query (api-version).
    const q = baseUrl.indexOf('?');
    let origin = (q === -1 ? baseUrl : baseUrl.slice(0, q)).replace(/\/+$/, '');
    if (origin.endsWith('/openai')) origin = origin.slice(0, -'/openai'.length);
    const params = new URLSearchParams(q === -1 ? '' : baseUrl.slice(q + 1));
    if (!params.get('api-version')) params.set('api-version', DEFAULT_AZURE_API_VERSION);
    return {
      url: `${origin}/openai/models?${params.toString()}`,
      headers: { 'api-key': credential },
      readModelIds: readDataIds,
    };
  },
};
