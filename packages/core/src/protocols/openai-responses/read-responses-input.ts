import { fail, type GatewayError, gatewayError, ok, type Result } from '../../gateway-error';
import type { ChatContentPart, ChatImagePart, ChatMessage, ChatTextPart } from '../canonical-chat';
import type { ResponsesToChatOptions } from './responses-to-chat-request';

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (message: string, param: string) =>
  fail(gatewayError('unsupported_feature', message, param));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const present = (value: unknown): boolean => value !== undefined && value !== null;

/**
 * A Responses `input` (a string, or items: messages, function calls and their outputs, references to stored
 * items) appended to `messages` as chat turns; the first fault found, naming its path, or null.
 */
export function readResponsesInput(
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
