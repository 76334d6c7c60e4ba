import type { ChatChunkBody } from '@switchyard/core';
import type { StreamEncoder } from '../surface';

const DONE = 'data: [DONE]\n\n';

/**
 * Canonical chunks are OpenAI chat chunks: each goes out as one `data:` event, the usage-only chunk only when the
 * caller asked for it (`stream_options.include_usage`), and the stream ends with `data: [DONE]`.
 */
export function openAiChatStreamEncoder(includeUsage: boolean): StreamEncoder {
  return {
    encode(chunk: ChatChunkBody): string {
      if (!includeUsage && chunk.usage && Array.isArray(chunk.choices) && chunk.choices.length === 0)
        return '';
      return `data: ${JSON.stringify(chunk)}\n\n`;
    },
    end(): string {
      return DONE;
    },
  };
}
