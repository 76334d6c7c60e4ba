import {
  type GeneratedImages,
  ok,
  readOpenAiUsage,
  type UnaryFamilyAdapter,
  type UsageReport,
} from '@switchyard/core';

/** The call to `{base}/<path>` with the caller's body and the upstream model: OpenAI's shape is canonical. */
function jsonCall(path: string): UnaryFamilyAdapter['buildCall'] {
  return ({ baseUrl, credential, upstreamModel, body }) =>
    ok({
      url: `${baseUrl}${path}`,
      headers: {
        authorization: `Bearer ${credential}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify({ ...body, model: upstreamModel }),
    });
}

/** OpenAI's answers are the canonical ones. */
const identity: UnaryFamilyAdapter['toCanonicalResponse'] = (body) => ok(body);

/**
 * An embeddings answer's `usage` (`prompt_tokens`, `total_tokens`): embeddings generate no tokens, so a report
 * with its prompt count is complete with 0 output. Null when there is no usage; malformed as for chat.
 */
function readEmbeddingsUsage(usage: unknown): UsageReport | null {
  const report = readOpenAiUsage(usage, 'chat');
  if (report !== null && report.outputTokens === null && report.inputTokens !== null) report.outputTokens = 0;
  return report;
}

/** POST {base}/embeddings: vectors as `float` or `base64`, as the caller asked; usage in prompt tokens. */
export const openAiEmbeddingsFamily: UnaryFamilyAdapter = {
  buildCall: jsonCall('/embeddings'),
  readUsage: (body) => readEmbeddingsUsage((body as { usage?: unknown } | null)?.usage),
  toCanonicalResponse: identity,
};

/**
 * POST {base}/images/generations: `data` holds one item per image; gpt-image answers name their `size` and
 * `quality` and report token usage, dall-e answers neither.
 */
export const openAiImagesFamily: UnaryFamilyAdapter = {
  buildCall: jsonCall('/images/generations'),
  readUsage: (body) => readOpenAiUsage((body as { usage?: unknown } | null)?.usage, 'images'),
  readImages(body): GeneratedImages {
    const b = (body ?? {}) as { data?: unknown; size?: unknown; quality?: unknown };
    return {
      count: Array.isArray(b.data) ? b.data.length : 0,
      size: typeof b.size === 'string' ? b.size : null,
      quality: typeof b.quality === 'string' ? b.quality : null,
    };
  },
  toCanonicalResponse: identity,
};
