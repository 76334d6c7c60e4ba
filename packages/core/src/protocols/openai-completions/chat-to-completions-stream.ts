import type { ChatChunkBody, ChatUsage, SseFrame } from '../canonical-chat';
import { completionsFinishReason, completionsId } from './chat-response-to-completions';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Encodes a canonical chat stream as a legacy completions stream: data-only SSE events of `text_completion`
 * chunks (`choices[].text`, one per chat choice that has text or finishes), the usage chunk (empty choices)
 * only when the caller asked for it with `stream_options.include_usage`, and `data: [DONE]` at the end.
 * Chunks may be an upstream's JSON as it came: fields of the wrong type are skipped, never thrown on.
 */
export class ChatToCompletionsStream {
  private finished = false;

  constructor(private readonly options: { model?: string; includeUsage?: boolean } = {}) {}

  push(chunk: ChatChunkBody): SseFrame[] {
    if (this.finished || !isObject(chunk)) return [];
    const head = {
      id: completionsId(chunk.id),
      object: 'text_completion',
      created: typeof chunk.created === 'number' && Number.isFinite(chunk.created) ? chunk.created : 0,
      model: this.options.model ?? (typeof chunk.model === 'string' ? chunk.model : ''),
    };
    const frames: SseFrame[] = [];
    const choices: unknown[] = Array.isArray(chunk.choices) ? chunk.choices : [];
    const out = choices.flatMap((choice, i) => {
      if (!isObject(choice)) return [];
      const delta = isObject(choice.delta) ? choice.delta : {};
      const text = typeof delta.content === 'string' ? delta.content : '';
      const finish = completionsFinishReason(choice.finish_reason);
      if (text.length === 0 && finish === null) return [];
      return [
        {
          text,
          index: typeof choice.index === 'number' ? choice.index : i,
          logprobs: null,
          finish_reason: finish,
        },
      ];
    });
    if (out.length > 0) frames.push({ data: JSON.stringify({ ...head, choices: out }) });
    if (this.options.includeUsage && isObject(chunk.usage)) {
      const { cache_write_tokens: _cacheWrite, ...usage } = chunk.usage as ChatUsage;
      frames.push({ data: JSON.stringify({ ...head, choices: [], usage }) });
    }
    return frames;
  }

  end(): SseFrame[] {
    if (this.finished) return [];
    this.finished = true;
    return [{ data: '[DONE]' }];
  }

  /** The stream broke after it started: OpenAI's error object as a data event, then nothing more. */
  error(message: string, type: string): SseFrame[] {
    if (this.finished) return [];
    this.finished = true;
    return [{ data: JSON.stringify({ error: { message, type, param: null, code: null } }) }];
  }
}
