import type { ProviderAdapter, StreamEventInfo, TokenUsage } from '@switchyard/core';

interface OpenAiUsage {
  prompt_tokens?: number;
  completion_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number } | null;
}

function toTokenUsage(usage: OpenAiUsage | null | undefined): TokenUsage | null {
  if (!usage || typeof usage !== 'object') return null;
  return {
    inputTokens: usage.prompt_tokens ?? 0,
    outputTokens: usage.completion_tokens ?? 0,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const DONE: StreamEventInfo = { usage: null, usageOnly: false, done: true };

/** OpenAI and every OpenAI-compatible base URL: the request passes through with the model replaced. */
export const openAiAdapter: ProviderAdapter = {
  kinds: ['openai', 'openai_compatible'],

  buildChatCall({ baseUrl, credential, upstreamModel, body, stream }) {
    const upstreamBody: Record<string, unknown> = { ...body, model: upstreamModel };
    // Always ask for usage so every streamed request is billed; the router drops the extra chunk
    // when the caller did not ask for it.
    if (stream)
      upstreamBody.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
    return {
      url: `${baseUrl}/chat/completions`,
      headers: {
        authorization: `Bearer ${credential}`,
        'content-type': 'application/json',
        accept: stream ? 'text/event-stream' : 'application/json',
      },
      body: JSON.stringify(upstreamBody),
    };
  },

  buildHealthCheck({ baseUrl, credential }) {
    return { url: `${baseUrl}/models`, headers: { authorization: `Bearer ${credential}` } };
  },

  readUsage(body) {
    return toTokenUsage((body as { usage?: OpenAiUsage } | null)?.usage);
  },

  readStreamEvent(data) {
    if (data === '[DONE]') return DONE;
    // Most chunks carry `"usage":null` or no usage at all; skip parsing those.
    if (!data.includes('"usage":{') && !data.includes('"usage": {')) return NOTHING;
    try {
      const chunk = JSON.parse(data) as { usage?: OpenAiUsage; choices?: unknown[] };
      const usage = toTokenUsage(chunk.usage);
      return {
        usage,
        usageOnly: usage !== null && Array.isArray(chunk.choices) && chunk.choices.length === 0,
        done: false,
      };
    } catch {
      return NOTHING;
    }
  },
};
