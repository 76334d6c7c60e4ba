import type { ChatReply } from '../plan-reply';

/** Identity of one Gemini answer, shared by its body and its chunks. */
export interface GenerateContentMeta {
  /** The model named in the URL, echoed as `modelVersion`. */
  model: string;
  responseId: string;
  candidateCount: number;
}

/** `STOP` (text or function calls) or `MAX_TOKENS`. */
export function geminiFinishReason(reply: ChatReply): 'STOP' | 'MAX_TOKENS' {
  return reply.kind === 'text' && reply.finishReason === 'length' ? 'MAX_TOKENS' : 'STOP';
}

/** `usageMetadata`: the prompt once, the reply once per candidate. */
export function geminiUsage(promptTokens: number, candidatesTokens: number) {
  return {
    promptTokenCount: promptTokens,
    candidatesTokenCount: candidatesTokens,
    totalTokenCount: promptTokens + candidatesTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
  };
}

/** The parts of a reply: one text part, or one `functionCall` part per call (args parsed). */
export function geminiParts(reply: ChatReply) {
  if (reply.kind === 'text') return [{ text: reply.content }];
  return reply.calls.map((call) => ({
    functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown },
  }));
}

function candidates(parts: unknown[], meta: GenerateContentMeta, finishReason: string | undefined) {
  return Array.from({ length: meta.candidateCount }, (_, index) => ({
    content: { parts, role: 'model' },
    ...(finishReason === undefined ? {} : { finishReason }),
    index,
  }));
}

/** The non-streaming `GenerateContentResponse`. */
export function buildGenerateContentResponse(reply: ChatReply, meta: GenerateContentMeta) {
  return {
    candidates: candidates(geminiParts(reply), meta, geminiFinishReason(reply)),
    usageMetadata: geminiUsage(reply.usage.promptTokens, reply.usage.completionTokens * meta.candidateCount),
    modelVersion: meta.model,
    responseId: meta.responseId,
  };
}

/** One `alt=sse` event; Google ends events with CRLF CRLF. */
function sseEvent(data: unknown): string {
  return `data: ${JSON.stringify(data)}\r\n\r\n`;
}

/**
 * The `streamGenerateContent?alt=sse` events: one `GenerateContentResponse` per word (words after the
 * first carry their leading space), the last with `finishReason`; function calls come whole, in one chunk.
 * Every chunk has `usageMetadata` with the tokens so far (the last one, the totals). No `[DONE]`.
 */
export function buildGenerateContentChunks(reply: ChatReply, meta: GenerateContentMeta): string[] {
  const { promptTokens, completionTokens } = reply.usage;
  const chunk = (parts: unknown[], last: boolean, candidatesTokens: number) =>
    sseEvent({
      candidates: candidates(parts, meta, last ? geminiFinishReason(reply) : undefined),
      usageMetadata: geminiUsage(promptTokens, candidatesTokens * meta.candidateCount),
      modelVersion: meta.model,
      responseId: meta.responseId,
    });
  if (reply.kind === 'tool_call') return [chunk(geminiParts(reply), true, completionTokens)];
  const events: string[] = [];
  for (let i = 0; i < reply.words.length; i++) {
    const text = i === 0 ? reply.words[i]! : ` ${reply.words[i]!}`;
    const last = i === reply.words.length - 1;
    // The running count is the words so far; the last chunk reports exactly the non-streaming figure.
    events.push(chunk([{ text }], last, last ? completionTokens : Math.min(completionTokens, i + 1)));
  }
  return events;
}
