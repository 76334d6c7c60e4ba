import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatChunkBody, ChatUsage } from '../canonical-chat';
import type { GeminiAnswerContext } from './gemini-response-to-chat';
import { readGeminiCandidateParts } from './gemini-response-to-chat';
import { geminiField, isGeminiObject } from './gemini-wire';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';
import { geminiUsageToChat } from './read-gemini-usage';

const garbage = (what: string) =>
  fail(gatewayError('upstream_error', `The Gemini upstream sent an unreadable stream event: ${what}.`));

/**
 * Adapter side: a Gemini `streamGenerateContent?alt=sse` stream as canonical chunks. Each event's data is one
 * `GenerateContentResponse`; every candidate in it becomes one chunk (role on a choice's first chunk, text as
 * content, each whole `functionCall` as one tool-call delta with its arguments complete, the finish reason when
 * Gemini sends it). Gemini repeats `usageMetadata` on every event, growing; the last one is the bill, sent by
 * {@link end} as the usage chunk with empty choices. An `{"error":…}` event or unreadable data fails the stream.
 */
export class GeminiToChatStream {
  private id: string | null = null;
  private readonly started = new Set<number>();
  private readonly callCounts = new Map<number, number>();
  private calls = 0;
  private usage: ChatUsage | null = null;

  constructor(private readonly context: GeminiAnswerContext) {}

  push(data: string, _event?: string): Result<ChatChunkBody[]> {
    if (data.trim() === '') return ok([]);
    let body: unknown;
    try {
      body = JSON.parse(data);
    } catch {
      return garbage('not JSON');
    }
    if (Array.isArray(body) && body.length === 1) body = body[0];
    if (!isGeminiObject(body)) return garbage('not a JSON object');
    if (isGeminiObject(body.error)) {
      const message = typeof body.error.message === 'string' ? body.error.message : 'an error';
      return fail(gatewayError('upstream_error', `The Gemini upstream failed mid-stream: ${message}`));
    }
    if (this.id === null) {
      const responseId = geminiField(body, 'responseId');
      this.id =
        typeof responseId === 'string' && responseId.length > 0 ? responseId : this.context.fallbackId;
    }
    const usage = geminiUsageToChat(body);
    if (usage) this.usage = usage;

    const candidates = body.candidates ?? [];
    if (!Array.isArray(candidates)) return garbage('candidates is not an array');
    const chunks: ChatChunkBody[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const candidate: unknown = candidates[i];
      if (!isGeminiObject(candidate)) return garbage('a candidate is not an object');
      const content = candidate.content ?? {};
      if (!isGeminiObject(content)) return garbage('a candidate content is not an object');
      const read = readGeminiCandidateParts(content.parts, () => `call_${this.calls++}`);
      if (!read.ok) return read;
      const index =
        typeof candidate.index === 'number' && Number.isSafeInteger(candidate.index) ? candidate.index : i;
      const delta: ChatChunkBody['choices'][number]['delta'] = {};
      if (!this.started.has(index)) {
        this.started.add(index);
        delta.role = 'assistant';
      }
      if (read.value.text !== null && read.value.text.length > 0) delta.content = read.value.text;
      let count = this.callCounts.get(index) ?? 0;
      if (read.value.toolCalls.length > 0) {
        delta.tool_calls = read.value.toolCalls.map((call) => ({
          index: count++,
          id: call.id,
          type: 'function' as const,
          function: { name: call.function.name, arguments: call.function.arguments },
        }));
        this.callCounts.set(index, count);
      }
      const reason = geminiField(candidate, 'finishReason');
      // Calls alone do not end a candidate: Gemini names the end, in this event or a later one.
      const finish =
        typeof reason === 'string' && reason !== '' ? mapGeminiFinishReason(reason, count > 0) : null;
      // A candidate with nothing new and no end yet (e.g. only a thought) makes no chunk.
      if (delta.role === undefined && delta.content === undefined && !delta.tool_calls && finish === null)
        continue;
      chunks.push(this.chunk([{ index, delta, finish_reason: finish }]));
    }
    if (candidates.length === 0) {
      const feedback = geminiField(body, 'promptFeedback');
      if (isGeminiObject(feedback) && feedback.blockReason !== undefined && !this.started.has(0)) {
        this.started.add(0);
        chunks.push(
          this.chunk([{ index: 0, delta: { role: 'assistant' }, finish_reason: 'content_filter' }]),
        );
      }
    }
    return ok(chunks);
  }

  /** The usage chunk (empty choices), once the stream is over; nothing if Gemini reported no usage. */
  end(): ChatChunkBody[] {
    return this.usage ? [{ ...this.chunk([]), usage: this.usage }] : [];
  }

  private chunk(choices: ChatChunkBody['choices']): ChatChunkBody {
    return {
      id: this.id ?? this.context.fallbackId,
      object: 'chat.completion.chunk',
      created: this.context.created,
      model: this.context.model,
      choices,
    };
  }
}
