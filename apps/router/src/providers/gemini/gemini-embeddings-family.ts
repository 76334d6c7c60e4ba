import {
  embeddingsRequestToGemini,
  type GeminiEmbedMethod,
  geminiEmbedResponseToEmbeddings,
  ok,
  readGeminiUsage,
  type UnaryFamilyAdapter,
} from '@switchyard/core';

/** Google's API origin from a provider base URL given with or without `/v1beta` or a trailing slash. */
function apiOrigin(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '');
}

/** `models/<name>` (or a tuned model's resource name), each segment percent-encoded for the URL path. */
function modelPath(upstreamModel: string): string {
  const name = /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
  return name.split('/').map(encodeURIComponent).join('/');
}

/** `models/<name>` as a request body names it. */
function modelName(upstreamModel: string): string {
  return /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
}

function call(url: string, credential: string, body: unknown) {
  return ok({
    url,
    headers: { 'x-goog-api-key': credential, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Embeddings on Gemini (AI Studio), for the gemini adapter's `unary.embeddings` (protocol `gemini-embed`): a
 * canonical (OpenAI) request goes out through core's `embeddingsRequestToGemini` — one string to `:embedContent`,
 * several to `:batchEmbedContents`, `dimensions` as `outputDimensionality`, token-id inputs refused by name — and
 * the answer comes back through `geminiEmbedResponseToEmbeddings`, in base64 when the caller asked for it (the
 * `openai` SDKs do by default). A Gemini caller's own body (`{content}` or `{requests}`) passes through to the
 * method it names. Usage is `usageMetadata.promptTokenCount` when Google sends it; otherwise settlement counts
 * the inputs.
 */
export const geminiEmbeddingsFamily: UnaryFamilyAdapter = {
  buildCall({ baseUrl, credential, upstreamModel, body, form }) {
    const origin = apiOrigin(baseUrl);
    if (form === 'native') {
      const method: GeminiEmbedMethod = Array.isArray(body.requests) ? 'batchEmbedContents' : 'embedContent';
      // Each batch request names its model too (the caller's public one): it must be the URL's.
      const native = Array.isArray(body.requests)
        ? {
            ...body,
            requests: body.requests.map((r: unknown) =>
              typeof r === 'object' && r !== null && 'model' in r
                ? { ...r, model: modelName(upstreamModel) }
                : r,
            ),
          }
        : body;
      return call(`${origin}/v1beta/${modelPath(upstreamModel)}:${method}`, credential, native);
    }
    const translated = embeddingsRequestToGemini(body, upstreamModel);
    if (!translated.ok) return translated;
    const { body: upstreamBody, method } = translated.value;
    return call(`${origin}/v1beta/${modelPath(upstreamModel)}:${method}`, credential, upstreamBody);
  },
  readUsage: readGeminiUsage,
  toCanonicalResponse(body, request) {
    const format = request.encoding_format === 'base64' ? 'base64' : 'float';
    const model = typeof request.model === 'string' ? request.model : '';
    const translated = geminiEmbedResponseToEmbeddings(body, { model, encodingFormat: format });
    return translated.ok ? ok(translated.value as unknown as Record<string, unknown>) : translated;
  },
};
