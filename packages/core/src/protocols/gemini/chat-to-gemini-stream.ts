import type { ChatChunkBody, ChatFinishReason, ChatUsage, SseFrame } from '../canonical-chat';
import { chatToolCallToGeminiPart } from './chat-response-to-gemini';
import { geminiStatusName } from './gemini-error-body';
import type { GeminiCandidate, GeminiGenerateResponse, GeminiPart } from './gemini-wire';
import { isGeminiObject } from './gemini-wire';
import { chatFinishReasonToGemini } from './map-gemini-finish-reason';
import { chatUsageToGemini } from './read-gemini-usage';

interface ChoiceState {
  /** Tool calls by their delta index, arguments accumulated: Gemini sends each call whole, so they wait. */
  calls: Map<number, { id: string; name: string; arguments: string }>;
  finish: ChatFinishReason | null;
}

const FINISH_REASONS: ReadonlySet<string> = new Set([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'function_call',
]);
const indexOf = (value: unknown) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : 0);
const textOf = (value: unknown) => (typeof value === 'string' ? value : '');
const isCount = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** HTTP status for an in-stream error, from the error type the pipeline names. */
function streamErrorStatus(type: string): number {
  if (/rate_limit/.test(type)) return 429;
  if (/timeout/.test(type)) return 504;
  if (/invalid_request|unsupported|invalid_json/.test(type)) return 400;
  if (/unavailable|no_available/.test(type)) return 503;
  return 500;
}

/**
 * Surface side: canonical chunks as a Gemini `streamGenerateContent?alt=sse` stream (data-only events, each a
 * `GenerateContentResponse`, no terminator). Text goes out as it arrives, one candidate per choice. Tool-call
 * deltas are gathered and sent whole as `functionCall` parts (Gemini never splits a call) in the last event,
 * which also carries each candidate's `finishReason` and the `usageMetadata`; that event goes out when the usage
 * chunk arrives, or at {@link end} when the upstream sent none.
 */
export class ChatToGeminiStream {
  private readonly choices = new Map<number, ChoiceState>();
  private usage: ChatUsage | null = null;
  private responseId = '';
  private modelVersion = '';
  private done = false;

  /** Never throws: a chunk relayed from an upstream is read field by field, whatever it holds. */
  push(chunk: ChatChunkBody): SseFrame[] {
    if (this.done || !isGeminiObject(chunk)) return [];
    if (typeof chunk.id === 'string' && chunk.id.length > 0) this.responseId = chunk.id;
    if (typeof chunk.model === 'string' && chunk.model.length > 0) this.modelVersion = chunk.model;
    const candidates: GeminiCandidate[] = [];
    for (const choice of Array.isArray(chunk.choices) ? (chunk.choices as unknown[]) : []) {
      if (!isGeminiObject(choice)) continue;
      const index = indexOf(choice.index);
      let state = this.choices.get(index);
      if (!state) {
        state = { calls: new Map(), finish: null };
        this.choices.set(index, state);
      }
      const delta = isGeminiObject(choice.delta) ? choice.delta : {};
      const text = textOf(delta.content) + textOf(delta.refusal);
      for (const fragment of Array.isArray(delta.tool_calls) ? (delta.tool_calls as unknown[]) : []) {
        if (!isGeminiObject(fragment)) continue;
        const callIndex = indexOf(fragment.index);
        const id = typeof fragment.id === 'string' && fragment.id.length > 0 ? fragment.id : null;
        let call = state.calls.get(callIndex);
        if (!call) {
          call = { id: id ?? `call_${callIndex}`, name: '', arguments: '' };
          state.calls.set(callIndex, call);
        }
        if (id !== null) call.id = id;
        const fn = isGeminiObject(fragment.function) ? fragment.function : {};
        call.name += textOf(fn.name);
        call.arguments += textOf(fn.arguments);
      }
      if (typeof choice.finish_reason === 'string' && FINISH_REASONS.has(choice.finish_reason)) {
        state.finish = choice.finish_reason as ChatFinishReason;
      }
      if (text.length > 0) {
        candidates.push({ content: { role: 'model', parts: [{ text }] }, index });
      }
    }
    const frames: SseFrame[] = [];
    if (candidates.length > 0) frames.push(this.frame({ candidates }));
    const usage = chunk.usage;
    if (isGeminiObject(usage)) {
      if (isCount(usage.prompt_tokens) && isCount(usage.completion_tokens))
        this.usage = usage as unknown as ChatUsage;
      frames.push(...this.finish());
    }
    return frames;
  }

  /** The last event, if it has not gone out yet. */
  end(): SseFrame[] {
    return this.done ? [] : this.finish();
  }

  /**
   * An error after the stream began, as Google writes it in a stream: `@google/genai` throws an `ApiError` with
   * the status when it reads an event holding `error`.
   */
  error(message: string, type: string): SseFrame[] {
    this.done = true;
    const code = streamErrorStatus(type);
    return [{ data: JSON.stringify({ error: { code, message, status: geminiStatusName(code) } }) }];
  }

  private finish(): SseFrame[] {
    this.done = true;
    const candidates: GeminiCandidate[] = [];
    for (const [index, state] of [...this.choices].sort(([a], [b]) => a - b)) {
      const parts: GeminiPart[] = [...state.calls]
        .sort(([a], [b]) => a - b)
        .map(([, call]) => chatToolCallToGeminiPart({ id: call.id, function: call }));
      if (parts.length === 0) parts.push({ text: '' });
      const candidate: GeminiCandidate = { content: { role: 'model', parts }, index };
      const reason = chatFinishReasonToGemini(state.finish);
      if (reason !== undefined) candidate.finishReason = reason;
      candidates.push(candidate);
    }
    const last: GeminiGenerateResponse = {};
    if (candidates.length > 0) last.candidates = candidates;
    if (this.usage) last.usageMetadata = chatUsageToGemini(this.usage);
    if (!last.candidates && !last.usageMetadata) return [];
    return [this.frame(last)];
  }

  private frame(response: GeminiGenerateResponse): SseFrame {
    response.modelVersion = this.modelVersion;
    response.responseId = this.responseId;
    return { data: JSON.stringify(response) };
  }
}
