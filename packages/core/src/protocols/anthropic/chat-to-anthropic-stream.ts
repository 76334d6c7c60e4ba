import type { ChatChunkBody, ChatFinishReason, ChatUsage, SseFrame } from '../canonical-chat';
import type { AnthropicErrorType } from './anthropic-messages';
import { chatFinishReasonToAnthropic } from './anthropic-stop-reason';
import { chatUsageToAnthropic } from './anthropic-usage-to-chat';

type OpenBlock = { kind: 'text'; index: number } | { kind: 'tool'; index: number; toolIndex: number };

/**
 * Encodes a canonical chat stream as Anthropic's Messages stream, for an Anthropic-SDK caller served by another
 * upstream: `message_start` (usage with the prompt's input tokens as far as known), then per content block
 * `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) / `content_block_stop` with
 * increasing indexes (text, then each tool call as a `tool_use` block), then `message_delta` (stop reason and
 * usage) and `message_stop` — the sequence `@anthropic-ai/sdk`'s `MessageStream` accumulates.
 *
 * The canonical stream reports usage in a chunk of its own after the finish reason, while Anthropic puts both in
 * `message_delta`; so the finish closes the open block and the delta waits for the usage chunk (or for
 * {@link end}, which always leaves a well-formed stream, usage or not). Only choice 0 is read: an Anthropic
 * request cannot ask for more. Tool-call fragments of a call whose block is already closed (an upstream that
 * interleaves calls) still go to that block's index, where the SDK accumulates them.
 */
export class ChatToAnthropicStream {
  private started = false;
  private finished = false;
  private closed = false;
  private nextIndex = 0;
  private open: OpenBlock | null = null;
  private readonly toolBlocks = new Map<number, number>();
  private finishReason: ChatFinishReason | null = null;
  private usage: ChatUsage | null = null;

  /**
   * @param messageId the Message id the caller sees (`msg_…`).
   * @param model the caller's public model name.
   * @param inputTokens the prompt's input tokens for `message_start`, when the gateway counted them; the final
   *   `message_delta` carries the upstream's own count, which the SDK takes over.
   */
  constructor(
    private readonly messageId: string,
    private readonly model: string,
    private readonly inputTokens = 0,
  ) {}

  /** Frames for one canonical chunk. */
  push(chunk: ChatChunkBody): SseFrame[] {
    if (this.closed) return [];
    const frames = this.start();
    for (const choice of chunk.choices ?? []) {
      if (choice.index !== 0) continue;
      const delta = choice.delta ?? {};
      const text = delta.content ?? delta.refusal;
      if (typeof text === 'string' && text.length > 0) frames.push(...this.text(text));
      for (const call of delta.tool_calls ?? []) frames.push(...this.toolCall(call));
      if (choice.finish_reason) {
        frames.push(...this.closeBlock());
        this.finished = true;
        this.finishReason = choice.finish_reason;
      }
    }
    if (chunk.usage) {
      this.usage = chunk.usage;
      if (this.finished) frames.push(...this.finish());
    }
    return frames;
  }

  /** Frames that end the stream: whatever is still open, the stop reason, usage as known, `message_stop`. */
  end(): SseFrame[] {
    if (this.closed) return [];
    return [...this.start(), ...this.closeBlock(), ...this.finish()];
  }

  /**
   * An Anthropic `error` event, for a stream that fails after its first byte (no failover is possible then);
   * nothing follows it. `type` should be an Anthropic error type (`overloaded_error`, `api_error`, …).
   */
  error(message: string, type: AnthropicErrorType | string = 'api_error'): SseFrame[] {
    if (this.closed) return [];
    this.closed = true;
    return [frame('error', { type: 'error', error: { type, message } })];
  }

  private start(): SseFrame[] {
    if (this.started) return [];
    this.started = true;
    return [
      frame('message_start', {
        type: 'message_start',
        message: {
          id: this.messageId,
          type: 'message',
          role: 'assistant',
          model: this.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: this.inputTokens,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 0,
            output_tokens: 0,
          },
        },
      }),
    ];
  }

  private text(text: string): SseFrame[] {
    const frames: SseFrame[] = [];
    if (this.open?.kind !== 'text') {
      frames.push(...this.closeBlock());
      const index = this.nextIndex++;
      this.open = { kind: 'text', index };
      frames.push(
        frame('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: { type: 'text', text: '' },
        }),
      );
    }
    frames.push(
      frame('content_block_delta', {
        type: 'content_block_delta',
        index: this.open.index,
        delta: { type: 'text_delta', text },
      }),
    );
    return frames;
  }

  private toolCall(
    call: NonNullable<ChatChunkBody['choices'][number]['delta']['tool_calls']>[number],
  ): SseFrame[] {
    const frames: SseFrame[] = [];
    const toolIndex = typeof call.index === 'number' ? call.index : 0;
    let index = this.toolBlocks.get(toolIndex);
    if (index === undefined) {
      frames.push(...this.closeBlock());
      index = this.nextIndex++;
      this.toolBlocks.set(toolIndex, index);
      this.open = { kind: 'tool', index, toolIndex };
      frames.push(
        frame('content_block_start', {
          type: 'content_block_start',
          index,
          content_block: {
            type: 'tool_use',
            id: call.id ?? `toolu_${this.messageId}_${toolIndex}`,
            name: call.function?.name ?? '',
            input: {},
          },
        }),
      );
    }
    const args = call.function?.arguments;
    if (typeof args === 'string' && args.length > 0) {
      frames.push(
        frame('content_block_delta', {
          type: 'content_block_delta',
          index,
          delta: { type: 'input_json_delta', partial_json: args },
        }),
      );
    }
    return frames;
  }

  private closeBlock(): SseFrame[] {
    if (!this.open) return [];
    const { index } = this.open;
    this.open = null;
    return [frame('content_block_stop', { type: 'content_block_stop', index })];
  }

  private finish(): SseFrame[] {
    this.closed = true;
    const usage = chatUsageToAnthropic(this.usage);
    const reported: Record<string, number> = { output_tokens: usage.output_tokens };
    if (this.usage) {
      // Cumulative totals: the SDK overwrites message_start's estimate with them.
      reported.input_tokens = usage.input_tokens;
      reported.cache_creation_input_tokens = usage.cache_creation_input_tokens ?? 0;
      reported.cache_read_input_tokens = usage.cache_read_input_tokens ?? 0;
    }
    return [
      frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: chatFinishReasonToAnthropic(this.finishReason), stop_sequence: null },
        usage: reported,
      }),
      frame('message_stop', { type: 'message_stop' }),
    ];
  }
}

function frame(event: string, data: unknown): SseFrame {
  return { event, data: JSON.stringify(data) };
}
