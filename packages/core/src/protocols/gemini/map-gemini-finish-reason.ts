import type { ChatFinishReason } from '../canonical-chat';
import type { GeminiFinishReason } from './gemini-wire';

const CONTENT_FILTER = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * A Gemini finish reason in OpenAI's words. Gemini ends a turn that calls functions with `STOP`, so a candidate
 * holding function calls is `tool_calls` whatever it says; blocked output is `content_filter`; `MAX_TOKENS` is
 * `length`. Everything else (LANGUAGE, OTHER, MALFORMED_FUNCTION_CALL, …) ended the answer without a better word:
 * `stop`. Null while the candidate is still going.
 */
export function mapGeminiFinishReason(
  reason: string | undefined | null,
  hasFunctionCalls: boolean,
): ChatFinishReason | null {
  if (reason === undefined || reason === null || reason === '' || reason === 'FINISH_REASON_UNSPECIFIED') {
    return hasFunctionCalls ? 'tool_calls' : null;
  }
  if (hasFunctionCalls) return 'tool_calls';
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(reason)) return 'content_filter';
  return 'stop';
}

/** An OpenAI finish reason in Gemini's words: tool calls end with `STOP`, as Gemini's own do. */
export function chatFinishReasonToGemini(reason: ChatFinishReason | null): GeminiFinishReason | undefined {
  switch (reason) {
    case null:
      return undefined;
    case 'length':
      return 'MAX_TOKENS';
    case 'content_filter':
      return 'SAFETY';
    default:
      return 'STOP';
  }
}
