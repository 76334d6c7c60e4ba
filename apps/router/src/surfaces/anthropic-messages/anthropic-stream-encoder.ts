import { randomUUID } from 'node:crypto';
import { ChatToAnthropicStream, formatSseFrames } from '@switchyard/core';
import type { StreamEncoder } from '../surface';

/**
 * Canonical chunks as Anthropic's Messages stream (`event:` + `data:` lines, `message_start` … `message_stop`),
 * by core `ChatToAnthropicStream`, for an Anthropic-SDK caller served by another protocol.
 */
export function anthropicStreamEncoder(model: string): StreamEncoder {
  const stream = new ChatToAnthropicStream(`msg_${randomUUID().replaceAll('-', '')}`, model);
  return {
    encode: (chunk) => formatSseFrames(stream.push(chunk)),
    end: () => formatSseFrames(stream.end()),
  };
}
