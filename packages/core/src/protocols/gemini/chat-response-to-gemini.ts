import type { ChatFinishReason, ChatResponseBody, ChatToolCall, ChatUsage } from '../canonical-chat';
import type { GeminiCandidate, GeminiGenerateResponse, GeminiPart } from './gemini-wire';
import { isGeminiObject } from './gemini-wire';
import { chatFinishReasonToGemini } from './map-gemini-finish-reason';
import { chatUsageToGemini } from './read-gemini-usage';

/**
 * A tool call as a Gemini `functionCall` part, its id kept so a client echoing it in `functionResponse.id` maps
 * back exactly. Gemini needs `args` as an object: arguments that are not a JSON object (an upstream glitch) ride
 * whole as `{ arguments: <text> }` rather than vanish.
 */
export function chatToolCallToGeminiPart(call: Pick<ChatToolCall, 'id' | 'function'>): GeminiPart {
  let args: Record<string, unknown>;
  const text = typeof call.function.arguments === 'string' ? call.function.arguments : '';
  if (text.trim() === '') args = {};
  else {
    try {
      const parsed: unknown = JSON.parse(text);
      args = isGeminiObject(parsed) ? parsed : { arguments: text };
    } catch {
      args = { arguments: text };
    }
  }
  return { functionCall: { name: call.function.name, args, id: call.id } };
}

/**
 * Surface side: a canonical chat completion as Gemini's `GenerateContentResponse`: one candidate per choice, text
 * then function calls as parts, finish reasons mapped back (tool calls end with `STOP`, as on Gemini), usage with
 * thoughts apart from candidates, the completion id as `responseId` and the model as `modelVersion`.
 */
export function chatResponseToGemini(resp: ChatResponseBody): GeminiGenerateResponse {
  // Read field by field: the body may be an upstream's, relayed after only a light check.
  const choices: unknown[] = Array.isArray(resp.choices) ? resp.choices : [];
  const candidates: GeminiCandidate[] = [];
  for (let i = 0; i < choices.length; i++) {
    const choice = choices[i];
    if (!isGeminiObject(choice)) continue;
    const message = isGeminiObject(choice.message) ? choice.message : {};
    const parts: GeminiPart[] = [];
    if (typeof message.content === 'string' && message.content.length > 0)
      parts.push({ text: message.content });
    for (const call of Array.isArray(message.tool_calls) ? (message.tool_calls as unknown[]) : []) {
      if (!isGeminiObject(call) || !isGeminiObject(call.function) || typeof call.function.name !== 'string')
        continue;
      const id = typeof call.id === 'string' ? call.id : `call_${parts.length}`;
      parts.push(
        chatToolCallToGeminiPart({
          id,
          function: { name: call.function.name, arguments: String(call.function.arguments ?? '') },
        }),
      );
    }
    const index = typeof choice.index === 'number' && Number.isSafeInteger(choice.index) ? choice.index : i;
    const candidate: GeminiCandidate = { content: { role: 'model', parts }, index };
    const reason = chatFinishReasonToGemini(
      (choice.finish_reason as ChatFinishReason | null | undefined) ?? null,
    );
    if (reason !== undefined) candidate.finishReason = reason;
    candidates.push(candidate);
  }
  const response: GeminiGenerateResponse = { candidates };
  if (typeof resp.model === 'string') response.modelVersion = resp.model;
  if (typeof resp.id === 'string') response.responseId = resp.id;
  const usage: unknown = resp.usage;
  if (
    isGeminiObject(usage) &&
    typeof usage.prompt_tokens === 'number' &&
    typeof usage.completion_tokens === 'number'
  ) {
    response.usageMetadata = chatUsageToGemini(usage as unknown as ChatUsage);
  }
  return response;
}
