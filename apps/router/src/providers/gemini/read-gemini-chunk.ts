/** What the router reads of one Gemini answer or stream event. */
export interface GeminiChunk {
  /** The parsed answer or event (the one element of the array Google sometimes wraps a stream event in). */
  body: Record<string, unknown>;
  /** It ends the answer: a candidate names its `finishReason`, or the prompt was blocked (no candidates). */
  final: boolean;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field in camelCase, else its snake_case spelling (Google's REST layer accepts and may send both). */
function field(object: Record<string, unknown>, camel: string): unknown {
  const value = object[camel];
  return value !== undefined ? value : object[camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
}

/**
 * Reads a Gemini `GenerateContentResponse` (parsed JSON, or one SSE event's data). Null for anything else: not
 * JSON, not an object, or an `{"error": …}` event (which ends nothing: a stream that breaks with one is
 * interrupted). Never throws.
 */
export function readGeminiChunk(input: unknown): GeminiChunk | null {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return null;
    }
  }
  if (Array.isArray(value) && value.length === 1) value = value[0];
  if (!isObject(value) || value.error !== undefined) return null;
  const candidates = value.candidates;
  let final = false;
  if (Array.isArray(candidates) && candidates.length > 0) {
    for (const candidate of candidates) {
      const reason = isObject(candidate) ? field(candidate, 'finishReason') : undefined;
      if (typeof reason === 'string' && reason !== '' && reason !== 'FINISH_REASON_UNSPECIFIED') final = true;
    }
  } else {
    const feedback = field(value, 'promptFeedback');
    final = isObject(feedback) && field(feedback, 'blockReason') !== undefined;
  }
  return { body: value, final };
}

/**
 * The generated text of an answer or event (text parts, thoughts included as Google bills them as output, and
 * each function call's name and arguments), for estimating tokens when Gemini reported no usage.
 */
export function geminiText(body: unknown): string {
  if (!isObject(body) || !Array.isArray(body.candidates)) return '';
  let text = '';
  for (const candidate of body.candidates) {
    const content = isObject(candidate) ? candidate.content : undefined;
    const parts = isObject(content) ? content.parts : undefined;
    if (!Array.isArray(parts)) continue;
    for (const part of parts) {
      if (!isObject(part)) continue;
      if (typeof part.text === 'string') text += part.text;
      const call = field(part, 'functionCall');
      if (isObject(call)) {
        if (typeof call.name === 'string') text += call.name;
        if (call.args !== undefined) text += JSON.stringify(call.args);
      }
    }
  }
  return text;
}
