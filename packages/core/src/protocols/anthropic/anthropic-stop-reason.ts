import type { ChatFinishReason } from '../canonical-chat';
import type { AnthropicStopReason } from './anthropic-messages';

/**
 * Anthropic's stop reason as a canonical finish reason. `pause_turn` (a server-tool turn paused) reads as a
 * stop: the turn ended without a tool call the caller must answer. A full context window is a length stop.
 * Unknown reasons (newer than this table) read as `stop`; null stays null (a stream still running).
 */
export function anthropicStopReasonToChat(reason: unknown): ChatFinishReason | null {
  switch (reason) {
    case null:
    case undefined:
      return null;
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** A canonical finish reason as Anthropic's stop reason; null (unknown) reads as a natural end of turn. */
export function chatFinishReasonToAnthropic(
  reason: ChatFinishReason | null | undefined,
): AnthropicStopReason {
  switch (reason) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}
