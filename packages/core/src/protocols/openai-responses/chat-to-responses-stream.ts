import type {
  ChatChunkBody,
  ChatFinishReason,
  ChatToolCallDelta,
  ChatUsage,
  SseFrame,
} from '../canonical-chat';
import type { ChatToResponsesOptions } from './chat-response-to-responses';
import { responsesStatusFromFinishReason } from './map-responses-status';
import { type ResponsesIds, responsesIds } from './responses-ids';
import { responsesRequestEcho } from './responses-request-echo';
import { responsesUsageFromChat } from './responses-usage-from-chat';
import type {
  ResponsesFunctionCall,
  ResponsesOutputItem,
  ResponsesOutputMessage,
  ResponsesResponse,
} from './responses-wire';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface OpenMessage {
  item: ResponsesOutputMessage;
  outputIndex: number;
  /** The part deltas currently go to, or null before the first. */
  part: 'text' | 'refusal' | null;
}

interface CallState {
  callId: string | undefined;
  name: string | undefined;
  /** Arguments that arrived before the name did (the item cannot be announced without one). */
  pending: string;
  item: ResponsesFunctionCall | null;
  outputIndex: number;
  closed: boolean;
}

/**
 * Encodes a canonical chat stream as a Responses event stream, the sequence the `openai` SDK's
 * `responses.stream()` and the Vercel AI SDK's `openai(model)` parse: `response.created`,
 * `response.in_progress`; per message `response.output_item.added`, `response.content_part.added`,
 * `response.output_text.delta`…, `response.output_text.done`, `response.content_part.done`,
 * `response.output_item.done`; per function call `response.output_item.added`,
 * `response.function_call_arguments.delta`…, `.done`, `response.output_item.done`; and last
 * `response.completed` (or `response.incomplete` for a `length`/`content_filter` finish) with the whole
 * response and its usage. Every event has `type` and `sequence_number`, and its `event:` line is the type.
 * No `[DONE]`: Responses streams end with the terminal event.
 *
 * Only choice 0 is read (Responses has no `n`). Usage arrives on the final chunk with empty choices, which is
 * why the translated request asks for it; the terminal event waits for `end()` so it can carry it.
 */
export class ChatToResponsesStream {
  private sequence = 0;
  private ids: ResponsesIds | null = null;
  private createdAt = 0;
  private model = '';
  private readonly output: ResponsesOutputItem[] = [];
  private message: OpenMessage | null = null;
  private readonly calls = new Map<number, CallState>();
  private messages = 0;
  private functionCalls = 0;
  private finishReason: ChatFinishReason | null = null;
  private usage: ChatUsage | null = null;
  private finished = false;

  constructor(private readonly options: ChatToResponsesOptions = {}) {}

  /**
   * One canonical chunk. It may come straight from an upstream's JSON, so nothing in it is trusted: fields of
   * the wrong type are skipped, never thrown on.
   */
  push(chunk: ChatChunkBody): SseFrame[] {
    if (this.finished || !isObject(chunk)) return [];
    const frames: SseFrame[] = [];
    this.start(frames, chunk);
    if (isObject(chunk.usage)) this.usage = chunk.usage;
    const choices: unknown[] = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices.find((c) => isObject(c) && c.index === 0) as
      | ChatChunkBody['choices'][number]
      | undefined;
    if (!choice) return frames;
    const delta: Partial<ChatChunkBody['choices'][number]['delta']> = isObject(choice.delta)
      ? choice.delta
      : {};
    const { content, refusal, tool_calls: toolCalls } = delta;
    if (typeof content === 'string' && content.length > 0) this.appendText(frames, 'text', content);
    if (typeof refusal === 'string' && refusal.length > 0) this.appendText(frames, 'refusal', refusal);
    if (Array.isArray(toolCalls)) {
      for (const call of toolCalls as unknown[]) {
        if (isObject(call) && typeof call.index === 'number')
          this.toolCallDelta(frames, call as unknown as ChatToolCallDelta);
      }
    }
    if (typeof choice.finish_reason === 'string' && choice.finish_reason.length > 0) {
      this.finishReason = choice.finish_reason;
      this.closeAll(frames);
    }
    return frames;
  }

  /**
   * The output items written so far, as the terminal event shows them: what the router stores to resolve a
   * later `item_reference` (see `ResponsesToChatOptions.resolveItemReference`).
   */
  outputItems(): ResponsesOutputItem[] {
    return structuredClone(this.output);
  }

  /** The upstream stream ended normally: close what is open and send the terminal event. */
  end(): SseFrame[] {
    if (this.finished) return [];
    const frames: SseFrame[] = [];
    this.start(frames, null);
    this.closeAll(frames);
    this.finished = true;
    const { status, incompleteReason } = responsesStatusFromFinishReason(this.finishReason);
    const response = this.snapshot(status);
    response.incomplete_details = incompleteReason ? { reason: incompleteReason } : null;
    if (status === 'completed') response.completed_at = this.options.now?.() ?? this.createdAt;
    response.usage = this.usage ? responsesUsageFromChat(this.usage) : null;
    this.emit(frames, status === 'completed' ? 'response.completed' : 'response.incomplete', { response });
    return frames;
  }

  /**
   * The stream broke after it started: an `error` event (`code` is `type`), then `response.failed` so clients
   * waiting for a terminal event get one.
   */
  error(message: string, type: string): SseFrame[] {
    if (this.finished) return [];
    const frames: SseFrame[] = [];
    this.start(frames, null);
    this.finished = true;
    this.emit(frames, 'error', { code: type, message, param: null });
    const response = this.snapshot('failed');
    response.error = { code: 'server_error', message };
    response.usage = this.usage ? responsesUsageFromChat(this.usage) : null;
    this.emit(frames, 'response.failed', { response });
    return frames;
  }

  private start(frames: SseFrame[], chunk: ChatChunkBody | null): void {
    if (this.ids) return;
    const id = typeof chunk?.id === 'string' ? chunk.id : '';
    const created =
      typeof chunk?.created === 'number' && Number.isFinite(chunk.created) ? chunk.created : null;
    this.ids = responsesIds(this.options.idBase ?? id);
    this.createdAt = created ?? this.options.now?.() ?? 0;
    this.model = this.options.model ?? (typeof chunk?.model === 'string' ? chunk.model : '');
    this.emit(frames, 'response.created', { response: this.snapshot('in_progress') });
    this.emit(frames, 'response.in_progress', { response: this.snapshot('in_progress') });
  }

  private snapshot(status: ResponsesResponse['status']): ResponsesResponse {
    return {
      id: this.ids?.response ?? 'resp_0',
      object: 'response',
      created_at: this.createdAt,
      status,
      completed_at: null,
      error: null,
      incomplete_details: null,
      model: this.model,
      output: structuredClone(this.output),
      usage: null,
      ...responsesRequestEcho(this.options.request),
    };
  }

  private emit(frames: SseFrame[], type: string, fields: Record<string, unknown>): void {
    // Serialised now, so later changes to the items do not leak into events already written.
    frames.push({ event: type, data: JSON.stringify({ type, sequence_number: this.sequence++, ...fields }) });
  }

  private appendText(frames: SseFrame[], kind: 'text' | 'refusal', delta: string): void {
    let open = this.message;
    if (!open) {
      const item: ResponsesOutputMessage = {
        type: 'message',
        id: (this.ids as ResponsesIds).message(this.messages++),
        role: 'assistant',
        status: 'in_progress',
        content: [],
      };
      open = { item, outputIndex: this.output.length, part: null };
      this.output.push(item);
      this.message = open;
      this.emit(frames, 'response.output_item.added', { output_index: open.outputIndex, item });
    }
    const { item, outputIndex } = open;
    if (open.part !== kind) {
      this.closePart(frames, open);
      open.part = kind;
      item.content.push(
        kind === 'text'
          ? { type: 'output_text', text: '', annotations: [] }
          : { type: 'refusal', refusal: '' },
      );
      this.emit(frames, 'response.content_part.added', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: item.content.length - 1,
        part: item.content[item.content.length - 1],
      });
    }
    const contentIndex = item.content.length - 1;
    const part = item.content[contentIndex];
    if (part?.type === 'output_text') {
      part.text += delta;
      this.emit(frames, 'response.output_text.delta', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: contentIndex,
        delta,
        logprobs: [],
      });
    } else if (part?.type === 'refusal') {
      part.refusal += delta;
      this.emit(frames, 'response.refusal.delta', {
        item_id: item.id,
        output_index: outputIndex,
        content_index: contentIndex,
        delta,
      });
    }
  }

  private closePart(frames: SseFrame[], open: OpenMessage): void {
    if (open.part === null) return;
    const { item, outputIndex } = open;
    const contentIndex = item.content.length - 1;
    const part = item.content[contentIndex];
    const where = { item_id: item.id, output_index: outputIndex, content_index: contentIndex };
    if (part?.type === 'output_text') {
      this.emit(frames, 'response.output_text.done', { ...where, text: part.text, logprobs: [] });
    } else if (part?.type === 'refusal') {
      this.emit(frames, 'response.refusal.done', { ...where, refusal: part.refusal });
    }
    this.emit(frames, 'response.content_part.done', { ...where, part });
    open.part = null;
  }

  private closeMessage(frames: SseFrame[]): void {
    const open = this.message;
    if (!open) return;
    this.closePart(frames, open);
    const { status } = responsesStatusFromFinishReason(this.finishReason);
    open.item.status = status === 'completed' ? 'completed' : 'incomplete';
    this.emit(frames, 'response.output_item.done', { output_index: open.outputIndex, item: open.item });
    this.message = null;
  }

  private toolCallDelta(frames: SseFrame[], delta: ChatToolCallDelta): void {
    let state = this.calls.get(delta.index);
    if (!state) {
      state = { callId: undefined, name: undefined, pending: '', item: null, outputIndex: -1, closed: false };
      this.calls.set(delta.index, state);
    }
    if (state.closed) return;
    const fn: { name?: unknown; arguments?: unknown } = isObject(delta.function) ? delta.function : {};
    if (!state.item) {
      if (typeof delta.id === 'string') state.callId ??= delta.id;
      if (typeof fn.name === 'string') state.name ??= fn.name;
    }
    const args = typeof fn.arguments === 'string' ? fn.arguments : '';
    if (!state.item) {
      state.pending += args;
      if (state.name !== undefined) this.openCall(frames, state);
      return;
    }
    if (args.length > 0) this.appendArguments(frames, state, args);
  }

  private openCall(frames: SseFrame[], state: CallState): void {
    this.closeMessage(frames);
    const id = (this.ids as ResponsesIds).functionCall(this.functionCalls++);
    const item: ResponsesFunctionCall = {
      type: 'function_call',
      id,
      call_id: state.callId ?? `call_${id.slice(3)}`,
      name: state.name ?? '',
      arguments: '',
      status: 'in_progress',
    };
    state.item = item;
    state.outputIndex = this.output.length;
    this.output.push(item);
    this.emit(frames, 'response.output_item.added', { output_index: state.outputIndex, item });
    const pending = state.pending;
    state.pending = '';
    if (pending.length > 0) this.appendArguments(frames, state, pending);
  }

  private appendArguments(frames: SseFrame[], state: CallState, delta: string): void {
    const item = state.item as ResponsesFunctionCall;
    item.arguments += delta;
    this.emit(frames, 'response.function_call_arguments.delta', {
      item_id: item.id,
      output_index: state.outputIndex,
      delta,
    });
  }

  private closeAll(frames: SseFrame[]): void {
    this.closeMessage(frames);
    const open = [...this.calls.values()].filter((state) => !state.closed);
    for (const state of open) if (!state.item) this.openCall(frames, state);
    open.sort((a, b) => a.outputIndex - b.outputIndex);
    for (const state of open) {
      const item = state.item as ResponsesFunctionCall;
      state.closed = true;
      this.emit(frames, 'response.function_call_arguments.done', {
        item_id: item.id,
        output_index: state.outputIndex,
        arguments: item.arguments,
        name: item.name,
      });
      item.status = 'completed';
      this.emit(frames, 'response.output_item.done', { output_index: state.outputIndex, item });
    }
  }
}
