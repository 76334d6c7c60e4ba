import type { ChatReply, MockUsage } from './plan-chat-reply';

/** Identity of one completion, shared by its non-streaming body and its chunks. */
export interface CompletionMeta {
  /** `chatcmpl-…` */
  id: string;
  /** Unix seconds. */
  created: number;
  /** The requested model, echoed back. */
  model: string;
  /** `call_…`, used when the reply is a tool call. */
  toolCallId: string;
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

/** The non-streaming `chat.completion` body for a reply. */
export function buildChatCompletion(reply: ChatReply, meta: CompletionMeta) {
  const message =
    reply.kind === 'text'
      ? { role: 'assistant', content: reply.content, refusal: null, annotations: [] }
      : {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: meta.toolCallId,
              type: 'function',
              function: { name: reply.name, arguments: reply.arguments },
            },
          ],
          refusal: null,
          annotations: [],
        };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: reply.finishReason }],
    usage: openAiUsage(reply.usage),
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
  };
}
