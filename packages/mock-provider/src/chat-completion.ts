import type { ChatReply, MockUsage } from './plan-reply';

/** Identity of one completion, shared by its non-streaming body and its chunks. */
export interface CompletionMeta {
  /** `chatcmpl-…` */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The requested model, echoed back. */
  model: string;
  /** `call_…`, the id of the first tool call; the others get `_1`, `_2`, … appended. */
  toolCallId: string;
}

/** The id of the `index`-th tool call of a reply. */
export function toolCallIdOf(meta: CompletionMeta, index: number): string {
  return index === 0 ? meta.toolCallId : `${meta.toolCallId}_${index}`;
}

/** The usage of `n` identical choices: the prompt once, the completion n times. */
export function usageOfChoices(usage: MockUsage, n: number): MockUsage {
  return n === 1 ? usage : { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens * n };
}

/** A fixed fingerprint: the mock has one "backend configuration". */
export const SYSTEM_FINGERPRINT = 'fp_mock0001';

/** The `usage` object in OpenAI's current shape, with the detail counters at 0. */
export function openAiUsage(usage: MockUsage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** The non-streaming `chat.completion` body for a reply, with `n` identical choices (index 0..n-1). */
export function buildChatCompletion(reply: ChatReply, meta: CompletionMeta, n = 1) {
  const message =
    reply.kind === 'text'
      ? { role: 'assistant', content: reply.content, refusal: null, annotations: [] }
      : {
          role: 'assistant',
          content: null,
          tool_calls: reply.calls.map((call, index) => ({
            id: toolCallIdOf(meta, index),
            type: 'function',
            function: { name: call.name, arguments: call.arguments },
          })),
          refusal: null,
          annotations: [],
        };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices:
      n === 1
        ? [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }]
        : Array.from({ length: n }, (_, index) => ({
            index,
            message,
            logprobs: null,
            finish_reason: reply.finishReason,
          })),
    usage: openAiUsage(usageOfChoices(reply.usage, n)),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}
