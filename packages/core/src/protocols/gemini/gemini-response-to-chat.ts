import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatResponseBody, ChatToolCall } from '../canonical-chat';
import { withGeminiSignature } from './gemini-thought-signature';
import { geminiField, isGeminiObject } from './gemini-wire';
import { mapGeminiFinishReason } from './map-gemini-finish-reason';
import { geminiUsageToChat } from './read-gemini-usage';

/** What a canonical answer needs that Gemini does not send: core has no clock. */
export interface GeminiAnswerContext {
  /** The model name the answer carries (the caller's public model, or the upstream's). */
  model: string;
  /** Unix seconds, from the caller's clock. */
  created: number;
  /** Used when the upstream sent no `responseId`. */
  fallbackId: string;
}

const garbage = (what: string) =>
  fail(gatewayError('upstream_error', `The Gemini upstream sent an unreadable answer: ${what}.`));

/**
 * One candidate's content as canonical text and tool calls; thought parts (reasoning summaries) are left out. A
 * call's signature rides in its id (see `gemini-thought-signature.ts`) so the next turn can hand it back.
 */
export function readGeminiCandidateParts(
  parts: unknown,
  nextCallId: () => string,
): Result<{ text: string | null; toolCalls: ChatToolCall[] }> {
  if (parts === undefined || parts === null) return ok({ text: null, toolCalls: [] });
  if (!Array.isArray(parts)) return garbage('parts is not an array');
  let text: string | null = null;
  const toolCalls: ChatToolCall[] = [];
  for (const part of parts as unknown[]) {
    if (!isGeminiObject(part)) return garbage('a part is not an object');
    if (part.thought === true) continue;
    if (typeof part.text === 'string') {
      text = (text ?? '') + part.text;
      continue;
    }
    const call = geminiField(part, 'functionCall');
    if (call !== undefined) {
      if (!isGeminiObject(call) || typeof call.name !== 'string')
        return garbage('a functionCall has no name');
      const args = call.args ?? {};
      if (!isGeminiObject(args)) return garbage('functionCall.args is not an object');
      const plainId = typeof call.id === 'string' && call.id.length > 0 ? call.id : nextCallId();
      const id = withGeminiSignature(plainId, geminiField(part, 'thoughtSignature'));
      toolCalls.push({
        id,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(args) },
      });
    }
    // Other parts (executableCode, inlineData output, …) only answer Gemini-only requests, refused on the way out.
  }
  return ok({ text, toolCalls });
}

/**
 * Adapter side: a Gemini answer as a canonical chat completion. Function calls get their Gemini `id` or a
 * synthesised `call_<n>` (numbered across the answer, so stable for one body); finish reasons are mapped by
 * {@link mapGeminiFinishReason}; usage by {@link geminiUsageToChat} (completion tokens include thoughts, as Google
 * bills them). A blocked prompt (no candidates, `promptFeedback.blockReason`) is one empty `content_filter`
 * choice. Anything that is not a Gemini answer fails; the router treats that as an invalid response.
 */
export function geminiResponseToChat(body: unknown, context: GeminiAnswerContext): Result<ChatResponseBody> {
  if (!isGeminiObject(body)) return garbage('not a JSON object');
  const candidates = body.candidates ?? [];
  if (!Array.isArray(candidates)) return garbage('candidates is not an array');
  let calls = 0;
  const nextCallId = () => `call_${calls++}`;
  const choices: ChatResponseBody['choices'] = [];
  for (let i = 0; i < candidates.length; i++) {
    const candidate: unknown = candidates[i];
    if (!isGeminiObject(candidate)) return garbage('a candidate is not an object');
    const content = candidate.content ?? {};
    if (!isGeminiObject(content)) return garbage('a candidate content is not an object');
    const read = readGeminiCandidateParts(content.parts, nextCallId);
    if (!read.ok) return read;
    const reason = geminiField(candidate, 'finishReason');
    const index =
      typeof candidate.index === 'number' && Number.isSafeInteger(candidate.index) ? candidate.index : i;
    const message: ChatResponseBody['choices'][number]['message'] = {
      role: 'assistant',
      content: read.value.text,
    };
    if (read.value.toolCalls.length > 0) message.tool_calls = read.value.toolCalls;
    choices.push({
      index,
      message,
      finish_reason:
        mapGeminiFinishReason(typeof reason === 'string' ? reason : null, read.value.toolCalls.length > 0) ??
        'stop',
    });
  }
  if (choices.length === 0) {
    const feedback = geminiField(body, 'promptFeedback');
    if (!isGeminiObject(feedback) || feedback.blockReason === undefined) return garbage('no candidates');
    choices.push({
      index: 0,
      message: { role: 'assistant', content: null },
      finish_reason: 'content_filter',
    });
  }
  const responseId = geminiField(body, 'responseId');
  const response: ChatResponseBody = {
    id: typeof responseId === 'string' && responseId.length > 0 ? responseId : context.fallbackId,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices,
  };
  const usage = geminiUsageToChat(body);
  if (usage) response.usage = usage;
  return ok(response);
}
