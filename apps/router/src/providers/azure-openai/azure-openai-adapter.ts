import { ok, type ProviderAdapter, type UnaryFamilyAdapter } from '@switchyard/core';
import { openAiCompatibleAdapter } from '../openai/openai-adapter';
import { openAiEmbeddingsFamily } from '../openai/openai-unary-families';
import { azureDeploymentUrl, azureModelsUrl } from './azure-deployment-url';

/**
 * Embeddings at `…/deployments/{deployment}/embeddings`: OpenAI's body and answer (so usage and the canonical
 * answer are read as OpenAI's), the key in `api-key`.
 */
const azureEmbeddingsFamily: UnaryFamilyAdapter = {
  ...openAiEmbeddingsFamily,
  buildCall: ({ baseUrl, credential, upstreamModel, body }) =>
    ok({
      url: azureDeploymentUrl(baseUrl, upstreamModel, 'embeddings'),
      headers: { 'api-key': credential, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...body, model: upstreamModel }),
    }),
};

/**
 * Azure OpenAI: OpenAI's chat wire (bodies, streams, usage and errors are OpenAI's, so reading them is the OpenAI
 * adapter's) at a deployment URL, with the key in `api-key` rather than a bearer token and an `api-version` on
 * every call (see `azure-deployment-url.ts` for how the base URL names it). A target's upstream model is the
 * deployment name. Chat and embeddings are declared, each at its deployment path; Azure's Responses API is not
 * under the deployment (it lives at `/openai/v1/responses` or `/openai/responses`) and images are not served here.
 */
export const azureOpenAiAdapter: ProviderAdapter = {
  // The compatible adapter, not OpenAI's: Azure's Responses API lives at another path (no alsoSpeaks here).
  ...openAiCompatibleAdapter,
  kinds: ['azure_openai'],
  protocols: { chat: 'openai-chat', embeddings: 'openai-embeddings' },
  // Not the OpenAI adapter's handlers: they call OpenAI's paths with a bearer token.
  unary: { embeddings: azureEmbeddingsFamily },

  buildChatCall({ baseUrl, credential, upstreamModel, body, stream }) {
    // Azure routes by the deployment in the URL and ignores `model`; it is set anyway so the body says what
    // is served. Usage is always asked for on streams (include_usage is GA since 2024-10-21), as for OpenAI.
    const upstreamBody: Record<string, unknown> = { ...body, model: upstreamModel };
    if (stream)
      upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    return ok({
      url: azureDeploymentUrl(baseUrl, upstreamModel, 'chat/completions'),
      headers: {
        'api-key': credential,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(upstreamBody),
    });
  },

  buildHealthCheck({ baseUrl, credential }) {
    return { url: azureModelsUrl(baseUrl), headers: { 'api-key': credential } };
  },
};
