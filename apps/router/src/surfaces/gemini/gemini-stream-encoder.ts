import { ChatToGeminiStream, type SseFrame } from '@switchyard/core';
import type { StreamEncoder } from '../surface';

/** Google ends each stream event with CRLF CRLF; `@google/genai` reads either framing. */
export function geminiSse(frames: readonly SseFrame[]): string {
  let text = '';
  for (const frame of frames) text += `data: ${frame.data}\r\n\r\n`;
  return text;
}

/**
 * Canonical chunks as `streamGenerateContent?alt=sse` events (core's `ChatToGeminiStream`): text as it arrives,
 * tool calls whole in the last event with the finish reasons and `usageMetadata`. No end sentinel: Gemini has none.
 */
export function geminiStreamEncoder(): StreamEncoder {
  const stream = new ChatToGeminiStream();
  return {
    encode: (chunk) => geminiSse(stream.push(chunk)),
    end: () => geminiSse(stream.end()),
  };
}
