import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatResponseBody, ChatToolCall } from '../canonical-chat';
import { chatUsageFromResponses } from './chat-usage-from-responses';
import { finishReasonFromResponsesStatus } from './map-responses-status';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const garbage = (message: string) =>
  fail(gatewayError('upstream_error', `Invalid Responses answer: ${message}.`));

/**
 * An upstream's `Response` as a chat completion shown as `model`: the text of its assistant messages (and any
 * refusal) as the message content, its function calls as tool calls, `incomplete` as a `length` (or
 * `content_filter`) finish. Reasoning items are internal to the model and left out (their tokens are in
 * usage); other item types come only from built-in tools, which the translated request never asks for.
 * A body that is not a Response, or a `failed` one, is a failure: the router treats it as an invalid answer.
 * Never throws.
 */
export function responsesResponseToChat(body: unknown, model: string): Result<ChatResponseBody> {
  if (!isObject(body)) return garbage('not an object');
  if (typeof body.id !== 'string') return garbage('no id');
  if (!Array.isArray(body.output)) return garbage('no output array');
  if (body.status === 'failed') {
    const error =
      isObject(body.error) && typeof body.error.message === 'string' ? body.error.message : 'failed';
    return fail(gatewayError('upstream_error', `The upstream response failed: ${error}`));
  }
  let text: string | null = null;
  let refusal: string | null = null;
  const toolCalls: ChatToolCall[] = [];
  for (let i = 0; i < body.output.length; i++) {
    const item: unknown = body.output[i];
    if (!isObject(item)) return garbage(`output[${i}] is not an object`);
    if (item.type === 'message') {
      if (!Array.isArray(item.content)) return garbage(`output[${i}].content is not an array`);
      for (const part of item.content as unknown[]) {
        if (!isObject(part)) return garbage(`output[${i}].content has a part that is not an object`);
        if (part.type === 'output_text') {
          if (typeof part.text !== 'string') return garbage(`output[${i}] has an output_text without text`);
          text = (text ?? '') + part.text;
        } else if (part.type === 'refusal' && typeof part.refusal === 'string') {
          refusal = (refusal ?? '') + part.refusal;
        }
      }
    } else if (item.type === 'function_call') {
      const { call_id: callId, name, arguments: args } = item;
      if (typeof callId !== 'string' || typeof name !== 'string' || typeof args !== 'string') {
        return garbage(`output[${i}] is a function_call without call_id, name or arguments`);
      }
      toolCalls.push({ id: callId, type: 'function', function: { name, arguments: args } });
    }
  }
  const incomplete = isObject(body.incomplete_details) ? body.incomplete_details.reason : null;
  const message: ChatResponseBody['choices'][number]['message'] = { role: 'assistant', content: text };
  if (refusal !== null) message.refusal = refusal;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  const chat: ChatResponseBody = {
    id: body.id,
    object: 'chat.completion',
    created: typeof body.created_at === 'number' && Number.isFinite(body.created_at) ? body.created_at : 0,
    model,
    choices: [
      {
        index: 0,
        message,
        finish_reason: finishReasonFromResponsesStatus(
          typeof body.status === 'string' ? body.status : null,
          typeof incomplete === 'string' ? incomplete : null,
          toolCalls.length > 0,
        ),
      },
    ],
  };
  const usage = chatUsageFromResponses(body.usage);
  if (usage) chat.usage = usage;
  return ok(chat);
}
