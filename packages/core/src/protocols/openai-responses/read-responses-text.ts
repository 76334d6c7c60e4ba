function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The generated text of a complete `Response` (already parsed JSON): its messages' text and refusals, and its
 * function calls' names and arguments, for estimating tokens when an upstream reported no usage. Empty for
 * anything else; never throws.
 */
export function readResponsesText(body: unknown): string {
  if (!isObject(body) || !Array.isArray(body.output)) return '';
  let text = '';
  for (const item of body.output as unknown[]) {
    if (!isObject(item)) continue;
    if (item.type === 'function_call') {
      if (typeof item.name === 'string') text += item.name;
      if (typeof item.arguments === 'string') text += item.arguments;
    } else if (item.type === 'message' && Array.isArray(item.content)) {
      for (const part of item.content as unknown[]) {
        if (!isObject(part)) continue;
        if (typeof part.text === 'string') text += part.text;
        if (typeof part.refusal === 'string') text += part.refusal;
      }
    }
  }
  return text;
}

/** Events whose `delta` is generated text (or function arguments). */
const TEXT_DELTAS = new Set([
  'response.output_text.delta',
  'response.refusal.delta',
  'response.function_call_arguments.delta',
]);

/**
 * The generated text one Responses SSE event's data payload carries (text, refusal and function-argument
 * deltas, and the name of a function call as it is announced), for estimating tokens when a stream reported
 * no usage. Empty for every other event; never throws.
 */
export function readResponsesStreamText(data: string): string {
  let event: unknown;
  try {
    event = JSON.parse(data);
  } catch {
    return '';
  }
  if (!isObject(event) || typeof event.type !== 'string') return '';
  if (TEXT_DELTAS.has(event.type)) return typeof event.delta === 'string' ? event.delta : '';
  if (
    event.type === 'response.output_item.added' &&
    isObject(event.item) &&
    event.item.type === 'function_call'
  ) {
    return typeof event.item.name === 'string' ? event.item.name : '';
  }
  return '';
}
