import { fail, type GatewayError, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatMessage, ChatRequestBody } from '../canonical-chat';
import { readResponsesInput } from './read-responses-input';
import { readResponsesToolChoice, readResponsesTools } from './read-responses-tools';

/**
 * A Responses request (`POST /v1/responses`, the `openai` SDK's `ResponseCreateParams`) as a canonical chat
 * request, for serving a Responses caller from any chat upstream. The model stays the caller's public model.
 *
 * The translation keeps no conversation state, so what needs state OpenAI keeps is refused with
 * `unsupported_feature`: `previous_response_id`, `conversation`, `prompt` templates, `background`, and
 * `item_reference` input items the caller's `resolveItemReference` cannot resolve (the Vercel AI SDK sends
 * them for earlier assistant text while its `store` option is on, its default; with
 * `providerOptions.openai.store: false` it sends the items themselves).
 *
 * `store` is accepted and ignored: it is OpenAI's default (and the Vercel AI SDK sends `store: true` on every
 * call), and refusing it would refuse nearly every caller. Nothing is stored: a later `previous_response_id`
 * naming this response is refused as above.
 *
 * `include` values that only add output the translated response never has (web/file search results, code
 * interpreter outputs, encrypted reasoning, input image URLs) are accepted; `message.output_text.logprobs` is
 * refused. `stream_options.include_obfuscation` is accepted: the gateway never pads deltas.
 *
 * Parameters Chat Completions shares pass through under their chat names (`reasoning.effort` as
 * `reasoning_effort`, `text.verbosity` as `verbosity`, `metadata`, `service_tier`, `user`, `safety_identifier`,
 * `prompt_cache_key`, `prompt_cache_retention`); an adapter for another protocol refuses those it cannot honour.
 * A streamed request asks for the final usage chunk: `response.completed` always carries usage. A function
 * tool's `strict` carries over when the caller set it; left out it stays out (chat's non-strict default), not
 * Responses' strict default, which an upstream of another protocol could not enforce anyway.
 */
export function responsesToChatRequest(
  body: unknown,
  options: ResponsesToChatOptions = {},
): Result<ChatRequestBody> {
  try {
    return translate(body, options);
  } catch (error) {
    // Translation is written not to throw; this is the last guard of "never throws, always Result".
    return invalid(`Invalid request: ${error instanceof Error ? error.message : 'unreadable body'}.`, 'body');
  }
}

/** What the surface can look up for the translation; core keeps nothing itself. */
export interface ResponsesToChatOptions {
  /**
   * Resolves an `item_reference` (an output item id this gateway wrote earlier, e.g. `msg_…`) to the item
   * itself, from a short-lived store the router keeps of the output items it sent; null when unknown. Called
   * synchronously: the hot path never waits on a database. Without it, every `item_reference` is refused.
   * The Vercel AI SDK refers to earlier assistant text by reference while its `store` option is on (the
   * default), so multi-step tool calls from `openai(model)` need this or `store: false`.
   */
  resolveItemReference?: (id: string) => unknown;
}

/** Parameters a Responses request may carry; anything else is refused by name (OpenAI refuses unknown ones). */
const KNOWN_PARAMS = new Set([
  'model',
  'input',
  'instructions',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'max_output_tokens',
  'max_tool_calls',
  'temperature',
  'top_p',
  'top_logprobs',
  'text',
  'reasoning',
  'stream',
  'stream_options',
  'store',
  'include',
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
  'truncation',
  'previous_response_id',
  'conversation',
  'prompt',
  'background',
  'context_management',
]);

/** Include values that only ask for output a translated response never has; see the doc above. */
const HARMLESS_INCLUDES = new Set([
  'file_search_call.results',
  'web_search_call.results',
  'web_search_call.action.sources',
  'message.input_image.image_url',
  'computer_call_output.output.image_url',
  'code_interpreter_call.outputs',
  'reasoning.encrypted_content',
]);

const PASS_THROUGH = [
  'metadata',
  'user',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'service_tier',
] as const;

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (message: string, param: string) =>
  fail(gatewayError('unsupported_feature', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

function translate(body: unknown, options: ResponsesToChatOptions): Result<ChatRequestBody> {
  if (!isObject(body)) return invalid('The request body must be a JSON object.', 'body');
  for (const key of Object.keys(body)) {
    if (!KNOWN_PARAMS.has(key)) {
      return unsupported(`Unknown or unsupported Responses parameter '${key}'.`, key);
    }
  }
  const stateful = refuseState(body);
  if (stateful) return fail(stateful);

  const { model } = body;
  if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
  if (typeof model !== 'string' || model.length === 0) {
    return invalid("Invalid value for 'model': expected a non-empty string.", 'model');
  }

  const messages: ChatMessage[] = [];
  const { instructions } = body;
  if (present(instructions)) {
    if (typeof instructions !== 'string') {
      return invalid("Invalid type for 'instructions': expected a string.", 'instructions');
    }
    messages.push({ role: 'system', content: instructions });
  }
  const input = readResponsesInput(body.input, messages, options);
  if (input) return fail(input);

  const chat: ChatRequestBody = { model, messages };

  const { stream } = body;
  if (present(stream)) {
    if (typeof stream !== 'boolean')
      return invalid("Invalid type for 'stream': expected a boolean.", 'stream');
    if (stream) {
      chat.stream = true;
      chat.stream_options = { include_usage: true };
    }
  }
  if (present(body.stream_options) && !isObject(body.stream_options)) {
    return invalid("Invalid type for 'stream_options': expected an object.", 'stream_options');
  }

  const maxOutput = body.max_output_tokens;
  if (present(maxOutput)) {
    if (typeof maxOutput !== 'number' || !Number.isSafeInteger(maxOutput) || maxOutput < 1) {
      return invalid(
        "Invalid value for 'max_output_tokens': expected a positive integer.",
        'max_output_tokens',
      );
    }
    chat.max_tokens = maxOutput;
  }
  for (const key of ['temperature', 'top_p'] as const) {
    const value = body[key];
    if (!present(value)) continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      return invalid(`Invalid type for '${key}': expected a number.`, key);
    }
    chat[key] = value;
  }
  if (present(body.parallel_tool_calls)) {
    if (typeof body.parallel_tool_calls !== 'boolean') {
      return invalid("Invalid type for 'parallel_tool_calls': expected a boolean.", 'parallel_tool_calls');
    }
    chat.parallel_tool_calls = body.parallel_tool_calls;
  }
  if (present(body.store) && typeof body.store !== 'boolean') {
    return invalid("Invalid type for 'store': expected a boolean.", 'store');
  }

  if (present(body.tools)) {
    const tools = readResponsesTools(body.tools);
    if (!tools.ok) return tools;
    if (tools.value.length > 0) chat.tools = tools.value;
  }
  if (present(body.tool_choice)) {
    const choice = readResponsesToolChoice(body.tool_choice);
    if (!choice.ok) return choice;
    chat.tool_choice = choice.value;
  }
  const text = readTextConfig(body.text, chat);
  if (text) return fail(text);
  const reasoning = readReasoning(body.reasoning, chat);
  if (reasoning) return fail(reasoning);
  const include = readInclude(body.include);
  if (include) return fail(include);

  if (present(body.max_tool_calls)) {
    return unsupported('max_tool_calls cannot be honoured by a chat upstream.', 'max_tool_calls');
  }
  if (present(body.top_logprobs)) {
    return unsupported(
      'top_logprobs is not supported when a Responses request is translated.',
      'top_logprobs',
    );
  }
  if (present(body.truncation) && body.truncation !== 'disabled') {
    return unsupported(
      "truncation 'auto' (dropping early items to fit the context) is not supported on this route.",
      'truncation',
    );
  }
  if (Array.isArray(body.context_management) && body.context_management.length > 0) {
    return unsupported(
      'context_management (compaction) is not supported on this route.',
      'context_management',
    );
  }
  if (present(body.context_management) && !Array.isArray(body.context_management)) {
    return invalid("Invalid type for 'context_management': expected an array.", 'context_management');
  }
  for (const key of PASS_THROUGH) {
    const value = body[key];
    if (!present(value)) continue;
    if (key !== 'metadata' && typeof value !== 'string') {
      return invalid(`Invalid type for '${key}': expected a string.`, key);
    }
    if (key === 'metadata' && !isObject(value)) {
      return invalid("Invalid type for 'metadata': expected an object.", key);
    }
    (chat as Record<string, unknown>)[key] = value;
  }
  return ok(chat);
}

function refuseState(body: Record<string, unknown>): GatewayError | null {
  if (present(body.previous_response_id)) {
    return gatewayError(
      'unsupported_feature',
      'previous_response_id is not supported on this route: the gateway does not keep conversation state when it ' +
        'serves a Responses request from a chat model. Send the whole conversation in `input` instead.',
      'previous_response_id',
    );
  }
  if (present(body.conversation)) {
    return gatewayError(
      'unsupported_feature',
      'conversation is not supported on this route: the gateway keeps no conversation state. Send the whole ' +
        'conversation in `input` instead.',
      'conversation',
    );
  }
  if (present(body.prompt)) {
    return gatewayError(
      'unsupported_feature',
      'prompt (a stored prompt template) is not supported on this route; send the instructions and input.',
      'prompt',
    );
  }
  if (body.background === true) {
    return gatewayError(
      'unsupported_feature',
      'background responses are not supported on this route.',
      'background',
    );
  }
  if (present(body.background) && typeof body.background !== 'boolean') {
    return gatewayError(
      'invalid_request',
      "Invalid type for 'background': expected a boolean.",
      'background',
    );
  }
  return null;
}

function readTextConfig(text: unknown, chat: ChatRequestBody): GatewayError | null {
  if (!present(text)) return null;
  if (!isObject(text))
    return gatewayError('invalid_request', "Invalid type for 'text': expected an object.", 'text');
  const { format, verbosity } = text;
  if (present(verbosity)) {
    if (verbosity !== 'low' && verbosity !== 'medium' && verbosity !== 'high') {
      return gatewayError('invalid_request', "Invalid value for 'text.verbosity'.", 'text.verbosity');
    }
    chat.verbosity = verbosity;
  }
  if (!present(format)) return null;
  if (!isObject(format)) {
    return gatewayError(
      'invalid_request',
      "Invalid type for 'text.format': expected an object.",
      'text.format',
    );
  }
  switch (format.type) {
    case 'text':
      return null;
    case 'json_object':
      chat.response_format = { type: 'json_object' };
      return null;
    case 'json_schema': {
      const { name, schema, description, strict } = format;
      if (typeof name !== 'string' || name.length === 0) {
        return gatewayError(
          'invalid_request',
          "Invalid value for 'text.format.name': expected a non-empty string.",
          'text.format.name',
        );
      }
      if (!isObject(schema)) {
        return gatewayError(
          'invalid_request',
          "Invalid type for 'text.format.schema': expected an object.",
          'text.format.schema',
        );
      }
      const jsonSchema: Record<string, unknown> = { name, schema };
      if (typeof description === 'string') jsonSchema.description = description;
      if (typeof strict === 'boolean') jsonSchema.strict = strict;
      chat.response_format = { type: 'json_schema', json_schema: jsonSchema };
      return null;
    }
    default:
      return gatewayError(
        'invalid_request',
        "Invalid value for 'text.format.type': expected text, json_object or json_schema.",
        'text.format.type',
      );
  }
}

function readReasoning(reasoning: unknown, chat: ChatRequestBody): GatewayError | null {
  if (!present(reasoning)) return null;
  if (!isObject(reasoning)) {
    return gatewayError('invalid_request', "Invalid type for 'reasoning': expected an object.", 'reasoning');
  }
  const summary = reasoning.summary ?? reasoning.generate_summary;
  if (present(summary)) {
    return gatewayError(
      'unsupported_feature',
      'reasoning summaries are not supported on this route: a chat model returns no reasoning items.',
      'reasoning.summary',
    );
  }
  if (present(reasoning.effort)) {
    if (typeof reasoning.effort !== 'string') {
      return gatewayError('invalid_request', "Invalid type for 'reasoning.effort'.", 'reasoning.effort');
    }
    chat.reasoning_effort = reasoning.effort;
  }
  return null;
}

function readInclude(include: unknown): GatewayError | null {
  if (!present(include)) return null;
  if (!Array.isArray(include)) {
    return gatewayError('invalid_request', "Invalid type for 'include': expected an array.", 'include');
  }
  for (let i = 0; i < include.length; i++) {
    const value: unknown = include[i];
    if (typeof value === 'string' && HARMLESS_INCLUDES.has(value)) continue;
    if (value === 'message.output_text.logprobs') {
      return gatewayError(
        'unsupported_feature',
        'include message.output_text.logprobs: log probabilities are not supported on this route.',
        `include[${i}]`,
      );
    }
    return gatewayError('invalid_request', `Invalid value for 'include[${i}]'.`, `include[${i}]`);
  }
  return null;
}
