import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatChunkBody, ChatFinishReason, ChatResponseBody, ChatUsage } from '../canonical-chat';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finishReason(value: unknown): ChatFinishReason | null {
  if (value === 'length' || value === 'content_filter' || value === 'stop') return value;
  return value === null || value === undefined ? null : 'stop';
}

function usageOf(value: unknown): ChatUsage | undefined {
  if (!isObject(value)) return undefined;
  const count = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  const { prompt_tokens: p, completion_tokens: c, total_tokens: t } = value;
  if (!count(p) || !count(c)) return undefined;
  const usage: ChatUsage = {
    prompt_tokens: p as number,
    completion_tokens: c as number,
    total_tokens: count(t) ? (t as number) : (p as number) + (c as number),
  };
  if (isObject(value.prompt_tokens_details)) usage.prompt_tokens_details = value.prompt_tokens_details;
  if (isObject(value.completion_tokens_details))
    usage.completion_tokens_details = value.completion_tokens_details;
  return usage;
}

/**
 * A text-completion upstream's answer as a chat completion shown as `model`: each choice's `text` is the
 * assistant's content. Anything that is not a text completion is a failure (the router treats it as an
 * invalid answer). Never throws.
 */
export function completionsResponseToChat(body: unknown, model: string): Result<ChatResponseBody> {
  if (!isObject(body) || !Array.isArray(body.choices)) {
    return fail(gatewayError('upstream_error', 'Invalid completions answer: no choices array.'));
  }
  const choices: ChatResponseBody['choices'] = [];
  for (let i = 0; i < body.choices.length; i++) {
    const choice: unknown = body.choices[i];
    if (!isObject(choice) || typeof choice.text !== 'string') {
      return fail(gatewayError('upstream_error', `Invalid completions answer: choices[${i}] has no text.`));
    }
    choices.push({
      index: typeof choice.index === 'number' ? choice.index : i,
      message: { role: 'assistant', content: choice.text },
      finish_reason: finishReason(choice.finish_reason),
    });
  }
  const chat: ChatResponseBody = {
    id: typeof body.id === 'string' ? body.id.replace(/^cmpl-/, 'chatcmpl-') : 'chatcmpl-0',
    object: 'chat.completion',
    created: typeof body.created === 'number' && Number.isFinite(body.created) ? body.created : 0,
    model,
    choices,
  };
  const usage = usageOf(body.usage);
  if (usage) chat.usage = usage;
  return ok(chat);
}

/**
 * Decodes a text-completion upstream's stream (data-only `text_completion` chunks, `[DONE]`) into canonical
 * chat chunks shown as `model`: the first text of each choice also names the assistant role; the usage chunk
 * keeps its empty choices. Data that is not JSON sets `failure`; an `{"error": …}` event likewise. Never
 * throws.
 */
export class CompletionsToChatStream {
  failure: { message: string; code: string | null } | null = null;
  done = false;
  private readonly started = new Set<number>();

  constructor(private readonly model: string) {}

  push(data: string): ChatChunkBody[] {
    if (this.done || this.failure) return [];
    if (data.trim() === '[DONE]') {
      this.done = true;
      return [];
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.failure = { message: 'The upstream sent an event that is not JSON.', code: null };
      return [];
    }
    if (!isObject(parsed)) return [];
    if (isObject(parsed.error)) {
      const { message, code } = parsed.error;
      this.failure = {
        message: typeof message === 'string' ? message : 'The upstream stream failed.',
        code: typeof code === 'string' ? code : null,
      };
      return [];
    }
    const head = {
      id: typeof parsed.id === 'string' ? parsed.id.replace(/^cmpl-/, 'chatcmpl-') : 'chatcmpl-0',
      object: 'chat.completion.chunk' as const,
      created: typeof parsed.created === 'number' && Number.isFinite(parsed.created) ? parsed.created : 0,
      model: this.model,
    };
    const choices: ChatChunkBody['choices'] = [];
    const raw: unknown[] = Array.isArray(parsed.choices) ? parsed.choices : [];
    raw.forEach((choice, i) => {
      if (!isObject(choice)) return;
      const index = typeof choice.index === 'number' ? choice.index : i;
      const delta: ChatChunkBody['choices'][number]['delta'] = {};
      if (!this.started.has(index)) {
        this.started.add(index);
        delta.role = 'assistant';
      }
      if (typeof choice.text === 'string' && choice.text.length > 0) delta.content = choice.text;
      choices.push({ index, delta, finish_reason: finishReason(choice.finish_reason) });
    });
    const usage = usageOf(parsed.usage);
    if (choices.length === 0 && !usage) return [];
    return [usage ? { ...head, choices, usage } : { ...head, choices }];
  }
}
