import { ok, type ProviderAdapter } from '@switchyard/core';
import { openAiCompatibleAdapter } from '../openai/openai-adapter';
import { azureChatUrl, azureModelsUrl } from './azure-deployment-url';

/**
 * Azure OpenAI: OpenAI's chat wire (bodies, streams, usage and errors are OpenAI's, so reading them is the OpenAI
 * adapter's) at a deployment URL, with the key in `api-key` rather than a bearer token and an `api-version` on
 * every call (see `azure-deployment-url.ts` for how the base URL names it). A target's upstream model is the
 * deployment name. Only chat is declared: Azure's other families live at other deployment paths.
 */
export const azureOpenAiAdapter: ProviderAdapter = {
  // The compatible adapter, not OpenAI's: Azure's Responses API lives at another path (no alsoSpeaks here).
  ...openAiCompatibleAdapter,
  kinds: ['azure_openai'],
  protocols: { chat: 'openai-chat' },
  // Not the OpenAI adapter's embeddings and images handlers: they call OpenAI's paths with a bearer token.
  unary: {},

  buildChatCall({ baseUrl, credential, upstreamModel, body, stream }) {
    // Azure routes by the deployment in the URL and ignores `model`; it is set anyway so the body says what
    // is served. Usage is always asked for on streams (include_usage is GA since 2024-10-21), as for OpenAI.
    const upstreamBody: Record<string, unknown> = { ...body, model: upstreamModel };
    if (stream)
      upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    return ok({
      url: azureChatUrl(baseUrl, upstreamModel),
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
