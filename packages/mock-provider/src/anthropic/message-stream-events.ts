import type { ChatReply } from '../plan-reply';
import { ARGUMENT_SLICE_CHARS } from '../sse-stream';
import {
  type AnthropicTokens,
  anthropicStopReason,
  anthropicUsage,
  type MessageMeta,
  toolUseIdOf,
} from './build-message';

/** One SSE event as Anthropic frames it: an `event:` line naming the type, then the `data:` line. */
export function anthropicEvent(data: { type: string; [field: string]: unknown }): string {
  return `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The Messages stream of a reply, Anthropic's order: `message_start` (usage with `output_tokens: 1`), then
 * per content block `content_block_start`, (after the first one, a `ping`), its deltas (`text_delta` per
 * word, or `input_json_delta` slices of 8 characters) and `content_block_stop`; then `message_delta` with
 * the stop reason and the full usage, and `message_stop`. There is no `[DONE]`.
 */
export function buildMessageEvents(reply: ChatReply, meta: MessageMeta, tokens: AnthropicTokens): string[] {
  const events: string[] = [
    anthropicEvent({
      type: 'message_start',
      message: {
        id: meta.id,
        type: 'message',
        role: 'assistant',
        model: meta.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        container: null,
        diagnostics: null,
        usage: anthropicUsage(tokens, 1),
      },
    }),
  ];
  const ping = anthropicEvent({ type: 'ping' });
  if (reply.kind === 'text') {
    events.push(
      anthropicEvent({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ping,
    );
    for (let i = 0; i < reply.words.length; i++) {
      const text = i === 0 ? reply.words[i]! : ` ${reply.words[i]!}`;
      events.push(
        anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
      );
    }
    events.push(anthropicEvent({ type: 'content_block_stop', index: 0 }));
  } else {
    for (let index = 0; index < reply.calls.length; index++) {
      const call = reply.calls[index]!;
      events.push(
        anthropicEvent({
          type: 'content_block_start',
          index,
          content_block: {
            type: 'tool_use',
            id: toolUseIdOf(meta, index),
            name: call.name,
            input: {},
            caller: { type: 'direct' },
          },
        }),
      );
      if (index === 0) events.push(ping);
      for (let at = 0; at < call.arguments.length; at += ARGUMENT_SLICE_CHARS) {
        events.push(
          anthropicEvent({
            type: 'content_block_delta',
            index,
            delta: {
              type: 'input_json_delta',
              partial_json: call.arguments.slice(at, at + ARGUMENT_SLICE_CHARS),
            },
          }),
        );
      }
      events.push(anthropicEvent({ type: 'content_block_stop', index }));
    }
  }
  events.push(
    anthropicEvent({
      type: 'message_delta',
      delta: {
        stop_reason: anthropicStopReason(reply),
        stop_sequence: null,
        stop_details: null,
        container: null,
      },
      usage: {
        input_tokens: tokens.input,
        cache_creation_input_tokens: tokens.cacheCreation,
        cache_read_input_tokens: tokens.cacheRead,
        output_tokens: tokens.output,
        output_tokens_details: null,
        server_tool_use: null,
      },
    }),
    anthropicEvent({ type: 'message_stop' }),
  );
  return events;
}
