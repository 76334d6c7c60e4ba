import type { ChatReply } from '../plan-reply';

/** Identity of one Anthropic message, shared by its non-streaming body and its events. */
export interface MessageMeta {
  /** `msg_…` */
  id: string;
  model: string;
  /** `toolu_…`, the id of the first tool_use block; the others get `_1`, `_2`, … appended. */
  toolUseId: string;
}

/** Token counts as Anthropic reports them: `input_tokens` excludes what was read from or written to the cache. */
export interface AnthropicTokens {
  input: number;
  cacheCreation: number;
  cacheRead: number;
  output: number;
  /** Which `cache_creation` bucket a cache write goes to. */
  ttl: '5m' | '1h';
}

export function toolUseIdOf(meta: MessageMeta, index: number): string {
  return index === 0 ? meta.toolUseId : `${meta.toolUseId}_${index}`;
}

/** `end_turn`, `max_tokens` or `tool_use`. */
export function anthropicStopReason(reply: ChatReply): 'end_turn' | 'max_tokens' | 'tool_use' {
  if (reply.kind === 'tool_call') return 'tool_use';
  return reply.finishReason === 'length' ? 'max_tokens' : 'end_turn';
}

/** The `usage` object of a `Message` (and, with `output` 1, of `message_start`). */
export function anthropicUsage(tokens: AnthropicTokens, output = tokens.output) {
  return {
    input_tokens: tokens.input,
    cache_creation_input_tokens: tokens.cacheCreation,
    cache_read_input_tokens: tokens.cacheRead,
    cache_creation: {
      ephemeral_5m_input_tokens: tokens.ttl === '5m' ? tokens.cacheCreation : 0,
      ephemeral_1h_input_tokens: tokens.ttl === '1h' ? tokens.cacheCreation : 0,
    },
    output_tokens: output,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    inference_geo: null,
    speed: null,
  };
}

/** The content blocks of a reply: one text block, or one `tool_use` block per call (input parsed). */
export function anthropicContent(reply: ChatReply, meta: MessageMeta) {
  if (reply.kind === 'text') return [{ type: 'text', text: reply.content, citations: null }];
  return reply.calls.map((call, index) => ({
    type: 'tool_use',
    id: toolUseIdOf(meta, index),
    name: call.name,
    input: JSON.parse(call.arguments) as unknown,
    caller: { type: 'direct' },
  }));
}

/** The non-streaming `Message` body. */
export function buildAnthropicMessage(reply: ChatReply, meta: MessageMeta, tokens: AnthropicTokens) {
  return {
    id: meta.id,
    type: 'message',
    role: 'assistant',
    model: meta.model,
    content: anthropicContent(reply, meta),
    stop_reason: anthropicStopReason(reply),
    stop_sequence: null,
    stop_details: null,
    container: null,
    diagnostics: null,
    usage: anthropicUsage(tokens),
  };
}
