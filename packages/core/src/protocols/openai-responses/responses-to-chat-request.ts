import { fail, type GatewayError, gatewayError, ok, type Result } from '../../gateway-error';
import type {
  ChatContentPart,
  ChatImagePart,
  ChatMessage,
  ChatRequestBody,
  ChatTextPart,
  ChatTool,
  ChatToolChoice,
} from '../canonical-chat';

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
  const input = readInput(body.input, messages, options);
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
    const tools = readTools(body.tools);
    if (!tools.ok) return tools;
    if (tools.value.length > 0) chat.tools = tools.value;
  }
  if (present(body.tool_choice)) {
    const choice = readToolChoice(body.tool_choice);
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

function readInput(
  input: unknown,
  messages: ChatMessage[],
  options: ResponsesToChatOptions,
): GatewayError | null {
  if (input === undefined || input === null) {
    return gatewayError('invalid_request', "Missing required parameter: 'input'.", 'input');
  }
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input });
    return null;
  }
  if (!Array.isArray(input)) {
    return gatewayError(
      'invalid_request',
      "Invalid type for 'input': expected a string or an array.",
      'input',
    );
  }
  for (let i = 0; i < input.length; i++) {
    const error = readItem(input[i], `input[${i}]`, messages, options);
    if (error) return error;
  }
  if (messages.length === 0) {
    return gatewayError('invalid_request', "Invalid 'input': expected at least one item.", 'input');
  }
  return null;
}

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);

/** Item types only OpenAI's own tools or state produce; named in the refusal. */
const HOSTED_ITEMS: Record<string, string> = {
  reasoning: 'reasoning items (from an OpenAI reasoning model)',
  compaction: 'compaction items',
  file_search_call: 'file_search tool calls',
  web_search_call: 'web_search tool calls',
  computer_call: 'computer use tool calls',
  computer_call_output: 'computer use tool outputs',
  image_generation_call: 'image_generation tool calls',
  code_interpreter_call: 'code_interpreter tool calls',
  local_shell_call: 'local_shell tool calls',
  local_shell_call_output: 'local_shell tool outputs',
  shell_call: 'shell tool calls',
  shell_call_output: 'shell tool outputs',
  apply_patch_call: 'apply_patch tool calls',
  apply_patch_call_output: 'apply_patch tool outputs',
  mcp_list_tools: 'MCP tool listings',
  mcp_approval_request: 'MCP approval requests',
  mcp_approval_response: 'MCP approval responses',
  mcp_call: 'MCP tool calls',
  custom_tool_call: 'custom tool calls',
  custom_tool_call_output: 'custom tool outputs',
  tool_search_call: 'tool_search calls',
  tool_search_output: 'tool_search outputs',
  configuration_update: 'configuration_update items',
};

function readItem(
  item: unknown,
  path: string,
  messages: ChatMessage[],
  options: ResponsesToChatOptions,
): GatewayError | null {
  if (!isObject(item))
    return gatewayError('invalid_request', `Invalid type for '${path}': expected an object.`, path);
  const type = item.type ?? 'message';
  if (typeof type !== 'string') {
    return gatewayError(
      'invalid_request',
      `Invalid type for '${path}.type': expected a string.`,
      `${path}.type`,
    );
  }
  switch (type) {
    case 'message':
      return readMessage(item, path, messages);
    case 'function_call':
      return readFunctionCall(item, path, messages);
    case 'function_call_output':
      return readFunctionCallOutput(item, path, messages);
    case 'item_reference': {
      const resolved =
        typeof item.id === 'string' && options.resolveItemReference
          ? options.resolveItemReference(item.id)
          : null;
      if (isObject(resolved) && resolved.type !== 'item_reference') {
        // A stored item is read like one sent inline; it cannot refer on again (no reference loops).
        return readItem(resolved, path, messages, {});
      }
      return gatewayError(
        'unsupported_feature',
        `${path} is an item_reference: this route keeps no stored items to resolve it. Send the item itself ` +
          '(with the Vercel AI SDK, set providerOptions.openai.store to false).',
        path,
      );
    }
    default: {
      const hosted = HOSTED_ITEMS[type];
      if (hosted) {
        return gatewayError(
          'unsupported_feature',
          `${path}: ${hosted} cannot be sent to this route's model (type '${type}').`,
          `${path}.type`,
        );
      }
      return gatewayError('invalid_request', `Invalid value for '${path}.type': '${type}'.`, `${path}.type`);
    }
  }
}

function readMessage(
  item: Record<string, unknown>,
  path: string,
  messages: ChatMessage[],
): GatewayError | null {
  const { role, content } = item;
  if (typeof role !== 'string' || !MESSAGE_ROLES.has(role)) {
    return gatewayError(
      'invalid_request',
      `Invalid value for '${path}.role': expected one of user, assistant, system, developer.`,
      `${path}.role`,
    );
  }
  const chatRole = role as 'user' | 'assistant' | 'system' | 'developer';
  if (typeof content === 'string') {
    messages.push({ role: chatRole, content });
    return null;
  }
  if (!Array.isArray(content)) {
    return gatewayError(
      'invalid_request',
      `Invalid type for '${path}.content': expected a string or an array.`,
      `${path}.content`,
    );
  }
  const parts: ChatContentPart[] = [];
  let refusal: string | null = null;
  for (let j = 0; j < content.length; j++) {
    const partPath = `${path}.content[${j}]`;
    const part: unknown = content[j];
    if (!isObject(part)) {
      return gatewayError('invalid_request', `Invalid type for '${partPath}': expected an object.`, partPath);
    }
    switch (part.type) {
      case 'input_text':
      case 'output_text': {
        if (typeof part.text !== 'string') {
          return gatewayError(
            'invalid_request',
            `Invalid type for '${partPath}.text': expected a string.`,
            `${partPath}.text`,
          );
        }
        parts.push({ type: 'text', text: part.text });
        break;
      }
      case 'refusal': {
        if (chatRole !== 'assistant' || typeof part.refusal !== 'string') {
          return gatewayError(
            'invalid_request',
            `Invalid '${partPath}': a refusal part belongs in an assistant message and needs a string refusal.`,
            partPath,
          );
        }
        refusal = (refusal ?? '') + part.refusal;
        break;
      }
      case 'input_image': {
        if (chatRole !== 'user') {
          return gatewayError(
            'unsupported_feature',
            `${partPath}: images are supported in user messages only on this route.`,
            partPath,
          );
        }
        const image = readImage(part, partPath);
        if (!image.ok) return image.error;
        parts.push(image.value);
        break;
      }
      case 'input_file':
        return gatewayError(
          'unsupported_feature',
          `${partPath}: file inputs (input_file) are not supported on this route.`,
          partPath,
        );
      case 'input_audio':
        return gatewayError(
          'unsupported_feature',
          `${partPath}: audio inputs (input_audio) are not supported on this route.`,
          partPath,
        );
      default:
        return gatewayError(
          'invalid_request',
          `Invalid value for '${partPath}.type': '${String(part.type)}'.`,
          `${partPath}.type`,
        );
    }
  }
  const message: ChatMessage = { role: chatRole, content: parts };
  if (refusal !== null) {
    message.refusal = refusal;
    if (parts.length === 0) message.content = null;
  }
  messages.push(message);
  return null;
}

function readImage(part: Record<string, unknown>, path: string): Result<ChatImagePart> {
  if (present(part.file_id)) {
    return unsupported(
      `${path}: images by file_id refer to OpenAI's file store, which this route cannot read; send image_url ` +
        '(an https URL or a data: URL).',
      `${path}.file_id`,
    );
  }
  const url = part.image_url;
  if (typeof url !== 'string' || url.length === 0) {
    return invalid(`Invalid '${path}': expected image_url to be a URL string.`, `${path}.image_url`);
  }
  const image: ChatImagePart = { type: 'image_url', image_url: { url } };
  const { detail } = part;
  if (detail === 'auto' || detail === 'low' || detail === 'high') image.image_url.detail = detail;
  else if (detail === 'original') {
    return unsupported(`${path}: image detail 'original' is not supported on this route.`, `${path}.detail`);
  } else if (present(detail)) {
    return invalid(`Invalid value for '${path}.detail'.`, `${path}.detail`);
  }
  return ok(image);
}

function readFunctionCall(
  item: Record<string, unknown>,
  path: string,
  messages: ChatMessage[],
): GatewayError | null {
  const { call_id: callId, name, arguments: args } = item;
  for (const [key, value] of [
    ['call_id', callId],
    ['name', name],
    ['arguments', args],
  ] as const) {
    if (typeof value !== 'string') {
      return gatewayError(
        'invalid_request',
        `Invalid type for '${path}.${key}': expected a string.`,
        `${path}.${key}`,
      );
    }
  }
  if (present(item.namespace)) {
    return gatewayError('unsupported_feature', `${path}: namespaced function calls are not supported.`, path);
  }
  const call = {
    id: callId as string,
    type: 'function' as const,
    function: { name: name as string, arguments: args as string },
  };
  // Consecutive calls (and the text before them) are one chat assistant turn.
  const last = messages[messages.length - 1];
  if (last && last.role === 'assistant') {
    last.tool_calls = [...(last.tool_calls ?? []), call];
  } else {
    messages.push({ role: 'assistant', content: null, tool_calls: [call] });
  }
  return null;
}

function readFunctionCallOutput(
  item: Record<string, unknown>,
  path: string,
  messages: ChatMessage[],
): GatewayError | null {
  const { call_id: callId, output } = item;
  if (typeof callId !== 'string') {
    return gatewayError(
      'invalid_request',
      `Invalid type for '${path}.call_id': expected a string.`,
      `${path}.call_id`,
    );
  }
  if (typeof output === 'string') {
    messages.push({ role: 'tool', tool_call_id: callId, content: output });
    return null;
  }
  if (!Array.isArray(output)) {
    return gatewayError(
      'invalid_request',
      `Invalid type for '${path}.output': expected a string or an array.`,
      `${path}.output`,
    );
  }
  const parts: ChatTextPart[] = [];
  for (let j = 0; j < output.length; j++) {
    const partPath = `${path}.output[${j}]`;
    const part: unknown = output[j];
    if (!isObject(part)) {
      return gatewayError('invalid_request', `Invalid type for '${partPath}': expected an object.`, partPath);
    }
    if (part.type === 'input_text' && typeof part.text === 'string') {
      parts.push({ type: 'text', text: part.text });
    } else if (part.type === 'input_image' || part.type === 'input_file') {
      return gatewayError(
        'unsupported_feature',
        `${partPath}: function call outputs may carry text only on this route (found ${part.type}).`,
        partPath,
      );
    } else {
      return gatewayError('invalid_request', `Invalid '${partPath}': expected an input_text part.`, partPath);
    }
  }
  messages.push({ role: 'tool', tool_call_id: callId, content: parts });
  return null;
}

function readTools(tools: unknown): Result<ChatTool[]> {
  if (!Array.isArray(tools)) return invalid("Invalid type for 'tools': expected an array.", 'tools');
  const out: ChatTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const path = `tools[${i}]`;
    const tool: unknown = tools[i];
    if (!isObject(tool)) return invalid(`Invalid type for '${path}': expected an object.`, path);
    if (tool.type !== 'function') {
      const type = typeof tool.type === 'string' ? tool.type : String(tool.type);
      return unsupported(
        `${path}: the built-in tool '${type}' runs on OpenAI's side and cannot be served by this route's ` +
          'model; only function tools are supported.',
        `${path}.type`,
      );
    }
    const { name, description, parameters, strict } = tool;
    if (typeof name !== 'string' || name.length === 0) {
      return invalid(`Invalid value for '${path}.name': expected a non-empty string.`, `${path}.name`);
    }
    const fn: ChatTool['function'] = { name };
    if (present(description)) {
      if (typeof description !== 'string') {
        return invalid(`Invalid type for '${path}.description': expected a string.`, `${path}.description`);
      }
      fn.description = description;
    }
    if (present(parameters)) {
      if (!isObject(parameters)) {
        return invalid(`Invalid type for '${path}.parameters': expected an object.`, `${path}.parameters`);
      }
      fn.parameters = parameters;
    }
    if (present(strict)) {
      if (typeof strict !== 'boolean') {
        return invalid(`Invalid type for '${path}.strict': expected a boolean.`, `${path}.strict`);
      }
      fn.strict = strict;
    }
    if (tool.defer_loading === true) {
      return unsupported(
        `${path}: deferred tool loading (tool search) is not supported.`,
        `${path}.defer_loading`,
      );
    }
    out.push({ type: 'function', function: fn });
  }
  return ok(out);
}

function readToolChoice(choice: unknown): Result<ChatToolChoice> {
  if (choice === 'none' || choice === 'auto' || choice === 'required') return ok(choice);
  if (typeof choice === 'string') {
    return invalid(
      "Invalid value for 'tool_choice': expected none, auto, required or an object.",
      'tool_choice',
    );
  }
  if (!isObject(choice) || typeof choice.type !== 'string') {
    return invalid("Invalid type for 'tool_choice'.", 'tool_choice');
  }
  if (choice.type === 'function') {
    if (typeof choice.name !== 'string' || choice.name.length === 0) {
      return invalid(
        "Invalid value for 'tool_choice.name': expected a non-empty string.",
        'tool_choice.name',
      );
    }
    return ok({ type: 'function', function: { name: choice.name } });
  }
  return unsupported(
    `tool_choice of type '${choice.type}' is not supported on this route; use none, auto, required or a function.`,
    'tool_choice',
  );
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
