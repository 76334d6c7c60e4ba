import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatResponseBody, ChatToolCall } from '../canonical-chat';
import { anthropicStopReasonToChat } from './anthropic-stop-reason';
import { anthropicUsageToChat } from './anthropic-usage-to-chat';
import { isRecord } from './is-record';

const garbage = (what: string): Result<never> =>
  fail(gatewayError('upstream_error', `The Anthropic upstream sent an unreadable message: ${what}.`));

/**
 * An Anthropic Message (non-streaming response) as a canonical chat completion. Text blocks join into the
 * content; `tool_use` blocks become tool calls (input → arguments JSON text); thinking and server-tool blocks
 * have no canonical place and are left out (the request side never asks for them). The stop reason maps
 * end_turn/stop_sequence/pause_turn → stop, max_tokens → length, tool_use → tool_calls, refusal →
 * content_filter. Usage is normalised (prompt tokens include cache reads and writes) and left out when
 * unreadable. A body that is not a message is a failure the router treats as an invalid response.
 * `created` is the gateway's clock (Unix seconds), handed in: core reads no clock.
 */
export function anthropicResponseToChat(
  body: unknown,
  model: string,
  created: number,
): Result<ChatResponseBody> {
  if (!isRecord(body) || body.type !== 'message') return garbage('not a message object');
  if (!Array.isArray(body.content)) return garbage('no content array');
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const block of body.content) {
    if (!isRecord(block)) return garbage('a content block is not an object');
    if (block.type === 'text') {
      if (typeof block.text !== 'string') return garbage('a text block without text');
      texts.push(block.text);
    } else if (block.type === 'tool_use') {
      if (typeof block.id !== 'string' || typeof block.name !== 'string')
        return garbage('a tool_use block without id or name');
      let args: string;
      try {
        args = JSON.stringify(block.input ?? {}) ?? '{}';
      } catch {
        return garbage('a tool_use input that is not JSON');
      }
      toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: args } });
    }
  }
  const message: ChatResponseBody['choices'][number]['message'] = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : toolCalls.length > 0 ? null : '',
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const response: ChatResponseBody = {
    id: typeof body.id === 'string' ? body.id : '',
    object: 'chat.completion',
    created,
    model,
    choices: [{ index: 0, message, finish_reason: anthropicStopReasonToChat(body.stop_reason) ?? 'stop' }],
  };
  const usage = anthropicUsageToChat(body.usage);
  if (usage) response.usage = usage;
  return ok(response);
}
