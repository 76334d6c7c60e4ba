import { fail, ok, type Result } from '../../gateway-error';
import type { UpstreamErrorFields } from '../../normalise-upstream-error';
import type { UsageReport } from '../../usage-report';
import type { ChatChunkBody, ChatFinishReason, ChatToolCallDelta } from '../canonical-chat';
import { anthropicStopReasonToChat } from './anthropic-stop-reason';
import { AnthropicStreamUsage } from './anthropic-stream-usage';
import { anthropicUsageToChat } from './anthropic-usage-to-chat';
import { isRecord } from './is-record';

/**
 * Why an Anthropic stream cannot go on: the upstream sent an `error` event (its fields as sent, for the router
 * to redact and bound with `normaliseUpstreamError`), or an event that cannot be read (an invalid response).
 */
export type AnthropicStreamFailure =
  | { kind: 'upstream_error'; error: UpstreamErrorFields }
  | { kind: 'malformed'; message: string };

type Delta = ChatChunkBody['choices'][number]['delta'];

/**
 * Decodes an Anthropic Messages stream into canonical chat chunks, one SSE event at a time: `message_start` →
 * the role chunk; text blocks → content deltas; `tool_use` blocks → tool-call deltas (the first names the call,
 * each `input_json_delta` adds arguments; calls are numbered 0, 1, … in block order); `message_delta` → the
 * finish reason; `message_stop` → a final usage chunk (empty choices) with the usage of `message_start` merged
 * with the cumulative counts of `message_delta`. Thinking, signature and citation deltas have no canonical
 * place and produce nothing; so do `ping` and event types newer than this decoder. Never throws.
 */
export class AnthropicToChatStream {
  private id = '';
  private readonly toolIndexes = new Map<number, number>();
  /** Blocks with no canonical place (thinking, server tools); their deltas are skipped. */
  private readonly skippedBlocks = new Set<number>();
  private readonly usage = new AnthropicStreamUsage();
  private finishReason: ChatFinishReason | null = null;

  /**
   * @param model the model name the canonical chunks carry (the caller's public model).
   * @param created the gateway's clock (Unix seconds) for the chunks.
   */
  constructor(
    private readonly model: string,
    private readonly created: number,
  ) {}

  /** The canonical chunks one SSE event (its `data` payload and, when sent, its `event` name) stands for. */
  push(data: string, event?: string): Result<ChatChunkBody[], AnthropicStreamFailure> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      return fail({ kind: 'malformed', message: `an event that is not JSON (${event ?? 'unnamed'})` });
    }
    if (!isRecord(parsed)) return fail({ kind: 'malformed', message: 'an event that is not an object' });
    const type = typeof parsed.type === 'string' ? parsed.type : event;
    switch (type) {
      case 'message_start':
        return this.messageStart(parsed.message);
      case 'content_block_start':
        return this.blockStart(parsed);
      case 'content_block_delta':
        return this.blockDelta(parsed);
      case 'message_delta':
        return this.messageDelta(parsed);
      case 'message_stop':
        return ok([this.usageChunk()]);
      case 'error':
        return fail({ kind: 'upstream_error', error: readErrorEvent(parsed.error) });
      default:
        // content_block_stop, ping and newer event types carry nothing canonical.
        return ok([]);
    }
  }

  /** The stream's usage as reported so far, for settlement (exact, with cache writes and thinking tokens). */
  usageReport(): UsageReport | null {
    return this.usage.report();
  }

  /** The finish reason seen so far (null until `message_delta`). */
  get finish(): ChatFinishReason | null {
    return this.finishReason;
  }

  private chunk(delta: Delta, finishReason: ChatFinishReason | null = null): ChatChunkBody {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    };
  }

  private messageStart(message: unknown): Result<ChatChunkBody[], AnthropicStreamFailure> {
    if (!isRecord(message)) return fail({ kind: 'malformed', message: 'message_start without a message' });
    if (typeof message.id === 'string') this.id = message.id;
    this.usage.readEvent({ type: 'message_start', message });
    return ok([this.chunk({ role: 'assistant', content: '' })]);
  }

  private blockStart(event: Record<string, unknown>): Result<ChatChunkBody[], AnthropicStreamFailure> {
    const block = event.content_block;
    if (typeof event.index !== 'number' || !isRecord(block)) {
      return fail({ kind: 'malformed', message: 'content_block_start without an index or a block' });
    }
    if (block.type === 'text') {
      return ok(
        typeof block.text === 'string' && block.text.length > 0 ? [this.chunk({ content: block.text })] : [],
      );
    }
    if (block.type !== 'tool_use') {
      this.skippedBlocks.add(event.index);
      return ok([]);
    }
    if (typeof block.id !== 'string' || typeof block.name !== 'string') {
      return fail({ kind: 'malformed', message: 'a tool_use block without an id or a name' });
    }
    const toolIndex = this.toolIndexes.size;
    this.toolIndexes.set(event.index, toolIndex);
    const call: ChatToolCallDelta = {
      index: toolIndex,
      id: block.id,
      type: 'function',
      function: { name: block.name, arguments: '' },
    };
    // The API starts a block with `input: {}` and streams the input; a proxy may send it whole instead.
    if (isRecord(block.input) && Object.keys(block.input).length > 0) {
      call.function = { name: block.name, arguments: JSON.stringify(block.input) };
    }
    return ok([this.chunk({ tool_calls: [call] })]);
  }

  private blockDelta(event: Record<string, unknown>): Result<ChatChunkBody[], AnthropicStreamFailure> {
    const delta = event.delta;
    if (typeof event.index !== 'number' || !isRecord(delta)) {
      return fail({ kind: 'malformed', message: 'content_block_delta without an index or a delta' });
    }
    if (this.skippedBlocks.has(event.index)) return ok([]);
    if (delta.type === 'text_delta') {
      if (typeof delta.text !== 'string')
        return fail({ kind: 'malformed', message: 'a text_delta without text' });
      return ok(delta.text.length > 0 ? [this.chunk({ content: delta.text })] : []);
    }
    if (delta.type === 'input_json_delta') {
      const toolIndex = this.toolIndexes.get(event.index);
      if (toolIndex === undefined || typeof delta.partial_json !== 'string') {
        return fail({ kind: 'malformed', message: 'an input_json_delta outside a tool_use block' });
      }
      if (delta.partial_json.length === 0) return ok([]);
      return ok([
        this.chunk({ tool_calls: [{ index: toolIndex, function: { arguments: delta.partial_json } }] }),
      ]);
    }
    return ok([]);
  }

  private messageDelta(event: Record<string, unknown>): Result<ChatChunkBody[], AnthropicStreamFailure> {
    this.usage.readEvent(event);
    const delta = isRecord(event.delta) ? event.delta : {};
    const reason = anthropicStopReasonToChat(delta.stop_reason);
    if (reason === null) return ok([]);
    this.finishReason = reason;
    return ok([this.chunk({}, reason)]);
  }

  private usageChunk(): ChatChunkBody {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [],
      usage: anthropicUsageToChat(this.usage.raw),
    };
  }
}

function readErrorEvent(error: unknown): UpstreamErrorFields {
  const fields = isRecord(error) ? error : {};
  const details = isRecord(fields.details) ? fields.details : {};
  return {
    message: typeof fields.message === 'string' ? fields.message : null,
    type: typeof fields.type === 'string' ? fields.type : null,
    code: typeof details.error_code === 'string' ? details.error_code : null,
    param: null,
  };
}
