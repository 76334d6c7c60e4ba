import type { ChatResponseBody, ChatUsage } from '../canonical-chat';

/** A legacy text completion (`object: 'text_completion'`). */
export interface CompletionsResponse {
  id: string;
  object: 'text_completion';
  created: number;
  model: string;
  choices: CompletionsChoice[];
  usage?: ChatUsage;
}

export interface CompletionsChoice {
  text: string;
  index: number;
  logprobs: null;
  finish_reason: 'stop' | 'length' | 'content_filter' | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `cmpl-…` from a chat completion's `chatcmpl-…` id. */
export function completionsId(chatId: unknown): string {
  const id = typeof chatId === 'string' ? chatId : '';
  return `cmpl-${id.replace(/^chatcmpl-/, '')}`;
}

/** A chat finish reason as the completions endpoint names it: it has no tool calls, so those are `stop`. */
export function completionsFinishReason(reason: unknown): CompletionsChoice['finish_reason'] {
  if (reason === null || reason === undefined) return null;
  return reason === 'length' || reason === 'content_filter' ? reason : 'stop';
}

/**
 * A chat completion as a legacy text completion shown as `model` (default the completion's): each choice's
 * message content is its `text`. Usage carries over as it is (the same object on both endpoints, without the
 * non-OpenAI `cache_write_tokens`). The completion may be an upstream's JSON as it came: only fields of the
 * right type are read, never thrown on.
 */
export function chatResponseToCompletions(
  resp: ChatResponseBody,
  options: { model?: string } = {},
): CompletionsResponse {
  const body: Partial<ChatResponseBody> = isObject(resp) ? resp : {};
  const choices: unknown[] = Array.isArray(body.choices) ? body.choices : [];
  const out: CompletionsResponse = {
    id: completionsId(body.id),
    object: 'text_completion',
    created: typeof body.created === 'number' && Number.isFinite(body.created) ? body.created : 0,
    model: options.model ?? (typeof body.model === 'string' ? body.model : ''),
    choices: choices.map((choice, i) => {
      const c = isObject(choice) ? choice : {};
      const message = isObject(c.message) ? c.message : {};
      return {
        text: typeof message.content === 'string' ? message.content : '',
        index: typeof c.index === 'number' ? c.index : i,
        logprobs: null,
        finish_reason: completionsFinishReason(c.finish_reason),
      };
    }),
  };
  if (isObject(body.usage)) {
    const { cache_write_tokens: _cacheWrite, ...usage } = body.usage as ChatUsage;
    out.usage = usage;
  }
  return out;
}
