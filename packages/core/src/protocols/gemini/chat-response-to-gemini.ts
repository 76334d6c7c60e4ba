import type { ChatResponseBody, ChatToolCall } from '../canonical-chat';
import type { GeminiGenerateResponse, GeminiPart } from './gemini-wire';
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
  const text = call.function.arguments;
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
  const response: GeminiGenerateResponse = {
    candidates: resp.choices.map((choice) => {
      const parts: GeminiPart[] = [];
      const { content, tool_calls: calls } = choice.message;
      if (typeof content === 'string' && content.length > 0) parts.push({ text: content });
      for (const call of calls ?? []) parts.push(chatToolCallToGeminiPart(call));
      const candidate: NonNullable<GeminiGenerateResponse['candidates']>[number] = {
        content: { role: 'model', parts },
        index: choice.index,
      };
      const reason = chatFinishReasonToGemini(choice.finish_reason);
      if (reason !== undefined) candidate.finishReason = reason;
      return candidate;
    }),
    modelVersion: resp.model,
    responseId: resp.id,
  };
  if (resp.usage) response.usageMetadata = chatUsageToGemini(resp.usage);
  return response;
}
