import { fail, type GatewayError, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatContentPart, ChatMessage, ChatRequestBody } from '../canonical-chat';

/**
 * A canonical chat request as a Responses request to an upstream that speaks Responses, for the model the
 * target names. System (and developer) turns, multi-turn text, images, tool calls and their results, tools,
 * `tool_choice`, `max_tokens`/`max_completion_tokens` (as `max_output_tokens`), temperature, top_p and
 * `response_format` (as `text.format`) translate; what Responses has no field for is refused by name with
 * `unsupported_feature` (`stop`, `n` above 1, penalties, `seed`, `logprobs`, `logit_bias`, audio, a
 * message's `name`…).
 *
 * `store` is sent as false unless the chat request set it: Responses stores every response by default, and the
 * gateway must not leave its callers' conversations in the operator's OpenAI account unasked. Function tools
 * are sent with `strict: false` unless the chat tool says otherwise, because Responses defaults to strict and
 * chat does not. Never throws.
 */
export function chatRequestToResponses(
  req: ChatRequestBody,
  upstreamModel: string,
): Result<{ body: Record<string, unknown> }> {
  try {
    return translate(req, upstreamModel);
  } catch (error) {
    return unsupported(
      `The request cannot be translated: ${error instanceof Error ? error.message : 'unknown'}.`,
      null,
    );
  }
}

const unsupported = (message: string, param: string | null) =>
  fail(gatewayError('unsupported_feature', message, param));

/** Chat parameters that carry over under the same name. */
const SAME_NAME = [
  'temperature',
  'top_p',
  'parallel_tool_calls',
  'user',
  'metadata',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'store',
] as const;

/** Chat parameters handled below, or that say nothing the upstream needs (`stream_options`). */
const HANDLED = new Set<string>([
  ...SAME_NAME,
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'n',
]);

/** Chat parameters Responses has no counterpart for, in words a caller recognises. */
const NO_COUNTERPART: Record<string, string> = {
  stop: 'stop sequences',
  presence_penalty: 'presence_penalty',
  frequency_penalty: 'frequency_penalty',
  seed: 'seed',
  logprobs: 'logprobs',
  top_logprobs: 'top_logprobs',
  logit_bias: 'logit_bias',
  modalities: 'output modalities (audio)',
  audio: 'audio output',
  prediction: 'predicted outputs',
  web_search_options: 'web_search_options',
  functions: 'legacy functions',
  function_call: 'legacy function_call',
};

function translate(req: ChatRequestBody, upstreamModel: string): Result<{ body: Record<string, unknown> }> {
  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || value === null || HANDLED.has(key)) continue;
    const words = NO_COUNTERPART[key];
    return unsupported(
      words
        ? `${words} cannot be sent to this route's upstream (OpenAI Responses has no such parameter).`
        : `The parameter '${key}' cannot be sent to this route's upstream (OpenAI Responses).`,
      key,
    );
  }
  if (typeof req.n === 'number' && req.n > 1) {
    return unsupported(
      "n above 1 cannot be sent to this route's upstream (Responses returns one answer).",
      'n',
    );
  }
  const body: Record<string, unknown> = { model: upstreamModel };
  const input: Record<string, unknown>[] = [];
  const messages = req.messages;
  let start = 0;
  const first = messages[0];
  if (
    first &&
    first.role === 'system' &&
    typeof first.content === 'string' &&
    Object.keys(first).length === 2
  ) {
    body.instructions = first.content;
    start = 1;
  }
  for (let i = start; i < messages.length; i++) {
    const error = writeMessage(messages[i] as ChatMessage, `messages[${i}]`, input);
    if (error) return fail(error);
  }
  body.input = input;
  for (const key of SAME_NAME) {
    if (req[key] !== undefined && req[key] !== null) body[key] = req[key];
  }
  body.store = req.store === true;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === 'number') body.max_output_tokens = maxTokens;
  if (req.stream === true) body.stream = true;
  if (req.tools && req.tools.length > 0) {
    body.tools = req.tools.map((tool) => ({
      type: 'function',
      name: tool.function.name,
      ...(tool.function.description !== undefined && { description: tool.function.description }),
      parameters: tool.function.parameters ?? null,
      strict: tool.function.strict ?? false,
    }));
  }
  const choice = req.tool_choice;
  if (choice !== undefined && choice !== null) {
    body.tool_choice = typeof choice === 'string' ? choice : { type: 'function', name: choice.function.name };
  }
  const text: Record<string, unknown> = {};
  const format = req.response_format;
  if (format && format.type === 'json_object') text.format = { type: 'json_object' };
  if (format && format.type === 'json_schema')
    text.format = { type: 'json_schema', ...(format.json_schema ?? {}) };
  if (typeof req.verbosity === 'string') text.verbosity = req.verbosity;
  if (Object.keys(text).length > 0) body.text = text;
  if (typeof req.reasoning_effort === 'string') body.reasoning = { effort: req.reasoning_effort };
  return ok({ body });
}

function writeMessage(
  message: ChatMessage,
  path: string,
  input: Record<string, unknown>[],
): GatewayError | null {
  if (message.name !== undefined && message.name !== null) {
    return gatewayError(
      'unsupported_feature',
      `${path}.name: message names cannot be sent to this route's upstream (OpenAI Responses).`,
      `${path}.name`,
    );
  }
  switch (message.role) {
    case 'system':
    case 'developer':
    case 'user': {
      const content = inputContent(message.content, path);
      if (!content.ok) return content.error;
      input.push({ role: message.role, content: content.value });
      return null;
    }
    case 'assistant': {
      const parts: Record<string, unknown>[] = [];
      if (typeof message.content === 'string') {
        parts.push({ type: 'output_text', text: message.content, annotations: [] });
      } else if (Array.isArray(message.content)) {
        for (const part of message.content) {
          if (part.type !== 'text') {
            return gatewayError('unsupported_feature', `${path}: assistant messages carry text only.`, path);
          }
          parts.push({ type: 'output_text', text: part.text, annotations: [] });
        }
      }
      if (typeof message.refusal === 'string') parts.push({ type: 'refusal', refusal: message.refusal });
      if (parts.length > 0 || !message.tool_calls?.length) {
        input.push(
          typeof message.content === 'string' && parts.length === 1
            ? { role: 'assistant', content: message.content }
            : { type: 'message', role: 'assistant', content: parts },
        );
      }
      for (const call of message.tool_calls ?? []) {
        input.push({
          type: 'function_call',
          call_id: call.id,
          name: call.function.name,
          arguments: call.function.arguments,
        });
      }
      return null;
    }
    case 'tool': {
      if (typeof message.tool_call_id !== 'string') {
        return gatewayError('invalid_request', `Missing '${path}.tool_call_id'.`, `${path}.tool_call_id`);
      }
      let output: unknown;
      if (typeof message.content === 'string') output = message.content;
      else if (Array.isArray(message.content)) {
        const parts: Record<string, unknown>[] = [];
        for (const part of message.content) {
          if (part.type !== 'text') {
            return gatewayError('unsupported_feature', `${path}: tool results carry text only.`, path);
          }
          parts.push({ type: 'input_text', text: part.text });
        }
        output = parts;
      } else output = '';
      input.push({ type: 'function_call_output', call_id: message.tool_call_id, output });
      return null;
    }
    default:
      return gatewayError('invalid_request', `Invalid value for '${path}.role'.`, `${path}.role`);
  }
}

function inputContent(content: ChatMessage['content'], path: string): Result<unknown> {
  if (typeof content === 'string') return ok(content);
  if (!Array.isArray(content)) return ok('');
  const parts: Record<string, unknown>[] = [];
  for (const part of content as ChatContentPart[]) {
    if (part.type === 'text') parts.push({ type: 'input_text', text: part.text });
    else if (part.type === 'image_url') {
      parts.push({
        type: 'input_image',
        image_url: part.image_url.url,
        ...(part.image_url.detail !== undefined && { detail: part.image_url.detail }),
      });
    } else {
      return fail(
        gatewayError('unsupported_feature', `${path}: content of this type cannot be translated.`, path),
      );
    }
  }
  return ok(parts);
}
