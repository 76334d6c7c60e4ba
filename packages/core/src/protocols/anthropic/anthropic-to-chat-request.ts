import type { Result } from '../../gateway-error';
import type {
  ChatContentPart,
  ChatMessage,
  ChatRequestBody,
  ChatTool,
  ChatToolCall,
  ChatToolChoice,
} from '../canonical-chat';
import { isRecord } from './is-record';
import { invalid, translateOrRefuse, unsupported } from './refusal';

/** What only an Anthropic upstream serves; the fast path passes it through, a translation cannot. */
const NON_ANTHROPIC = 'cannot be served by a non-Anthropic upstream';

/**
 * Top-level fields the translation understands. Any other field with a value is refused by name: an unknown
 * Anthropic parameter might change the answer, and dropping it silently would hide that.
 */
const KNOWN_FIELDS = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'stream',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'tools',
  'tool_choice',
  'metadata',
  'thinking',
  'cache_control',
  'output_config',
]);

/**
 * Validates an Anthropic Messages request (`POST /v1/messages`) and translates it into the canonical chat shape,
 * for an upstream that does not speak Anthropic. The model stays the caller's public model.
 *
 * - `system` (a string or text blocks) and `role: "system"` messages become system messages, in place.
 * - Text and image blocks (base64 → `data:` URL, url → URL) become content parts; `tool_use` blocks become the
 *   assistant's `tool_calls` (input object → arguments JSON text); each `tool_result` becomes a `role: "tool"`
 *   message, ahead of the rest of its user message (an `is_error` result is marked with an `Error: ` prefix,
 *   since chat tool messages have no error flag).
 * - `tools`, `tool_choice` (auto/any/tool/none → auto/required/function/none), `disable_parallel_tool_use` →
 *   `parallel_tool_calls: false`, `stop_sequences` → `stop`, `metadata.user_id` → `user`, `max_tokens`,
 *   `temperature`, `top_p`, `output_config.format` → `response_format` json_schema; a stream asks for usage.
 *
 * Refused with `unsupported_feature`, naming the field: enabled `thinking`, `cache_control` and thinking blocks
 * (they work only when an Anthropic upstream serves the request on the pass-through path), documents and other
 * non-text/image blocks, server tools (web search, code execution, …), `top_k`, `output_config.effort`, and any
 * other top-level field. Malformed input is `invalid_request` naming the field. Never throws.
 */
export function anthropicToChatRequest(body: unknown): Result<ChatRequestBody> {
  return translateOrRefuse(() => translate(body));
}

function translate(body: unknown): ChatRequestBody {
  if (!isRecord(body)) return invalid('The request body must be a JSON object.', '');
  for (const [field, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(field) && value !== undefined && value !== null) {
      unsupported(`The Anthropic parameter \`${field}\` ${NON_ANTHROPIC}.`, field);
    }
  }
  if (typeof body.model !== 'string' || body.model.length === 0) {
    invalid('`model` must be a non-empty string.', 'model');
  }
  const maxTokens = body.max_tokens;
  if (typeof maxTokens !== 'number' || !Number.isSafeInteger(maxTokens) || maxTokens < 0) {
    return invalid('`max_tokens` is required and must be a non-negative integer.', 'max_tokens');
  }
  if (maxTokens === 0) {
    unsupported(`\`max_tokens: 0\` (prompt-cache pre-warming) ${NON_ANTHROPIC}.`, 'max_tokens');
  }
  refuseCacheControl(body.cache_control, 'cache_control');
  if (body.thinking !== undefined && body.thinking !== null) {
    if (!isRecord(body.thinking)) invalid('`thinking` must be an object.', 'thinking');
    else if (body.thinking.type !== 'disabled') {
      unsupported(`Extended thinking (\`thinking\`) ${NON_ANTHROPIC}.`, 'thinking.type');
    }
  }
  if (body.top_k !== undefined && body.top_k !== null) {
    unsupported(`\`top_k\` sampling ${NON_ANTHROPIC}.`, 'top_k');
  }

  const request: ChatRequestBody = { model: body.model as string, messages: [], max_tokens: maxTokens };
  if (body.system !== undefined && body.system !== null) {
    request.messages.push({ role: 'system', content: readSystem(body.system, 'system') });
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    invalid('`messages` must be a non-empty array.', 'messages');
  }
  (body.messages as unknown[]).forEach((message, index) => {
    request.messages.push(...readMessage(message, `messages[${index}]`));
  });

  if (body.stream !== undefined && body.stream !== null) {
    if (typeof body.stream !== 'boolean') invalid('`stream` must be a boolean.', 'stream');
    if (body.stream === true) {
      request.stream = true;
      // Anthropic streams always end with usage; the canonical stream must be asked for it.
      request.stream_options = { include_usage: true };
    }
  }
  const temperature = readNumber(body.temperature, 'temperature', 0, 1);
  if (temperature !== undefined) request.temperature = temperature;
  const topP = readNumber(body.top_p, 'top_p', 0, 1);
  if (topP !== undefined) request.top_p = topP;
  if (body.stop_sequences !== undefined && body.stop_sequences !== null) {
    if (!Array.isArray(body.stop_sequences) || !body.stop_sequences.every((s) => typeof s === 'string')) {
      invalid('`stop_sequences` must be an array of strings.', 'stop_sequences');
    }
    if ((body.stop_sequences as string[]).length > 0) request.stop = [...(body.stop_sequences as string[])];
  }
  if (body.metadata !== undefined && body.metadata !== null) {
    if (!isRecord(body.metadata)) invalid('`metadata` must be an object.', 'metadata');
    const metadata = body.metadata as Record<string, unknown>;
    for (const [field, value] of Object.entries(metadata)) {
      if (field !== 'user_id' && value !== undefined && value !== null) {
        unsupported(`The metadata field \`${field}\` ${NON_ANTHROPIC}.`, `metadata.${field}`);
      }
    }
    if (metadata.user_id !== undefined && metadata.user_id !== null) {
      if (typeof metadata.user_id !== 'string')
        invalid('`metadata.user_id` must be a string.', 'metadata.user_id');
      request.user = metadata.user_id as string;
    }
  }
  if (body.tools !== undefined && body.tools !== null) {
    if (!Array.isArray(body.tools)) invalid('`tools` must be an array.', 'tools');
    const tools = (body.tools as unknown[]).map((tool, index) => readTool(tool, `tools[${index}]`));
    if (tools.length > 0) request.tools = tools;
  }
  if (body.tool_choice !== undefined && body.tool_choice !== null) {
    const { choice, parallel } = readToolChoice(body.tool_choice);
    request.tool_choice = choice;
    if (parallel === false) request.parallel_tool_calls = false;
  }
  if (body.output_config !== undefined && body.output_config !== null) {
    readOutputConfig(body.output_config, request);
  }
  return request;
}

function refuseCacheControl(value: unknown, param: string): void {
  if (value !== undefined && value !== null) {
    unsupported(`Prompt caching (\`cache_control\`) ${NON_ANTHROPIC}.`, param);
  }
}

function readNumber(value: unknown, param: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    return invalid(`\`${param}\` must be a number from ${min} to ${max}.`, param);
  }
  return value;
}

function readText(block: Record<string, unknown>, param: string): string {
  if (typeof block.text !== 'string') return invalid('A text block needs a string `text`.', `${param}.text`);
  refuseCacheControl(block.cache_control, `${param}.cache_control`);
  return block.text;
}

function readSystem(value: unknown, param: string): string | ChatContentPart[] {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) return invalid('`system` must be a string or an array of text blocks.', param);
  return value.map((block, index) => {
    const at = `${param}[${index}]`;
    if (!isRecord(block) || block.type !== 'text') return invalid('A system block must be a text block.', at);
    return { type: 'text' as const, text: readText(block, at) };
  });
}

function readImage(block: Record<string, unknown>, param: string): ChatContentPart {
  refuseCacheControl(block.cache_control, `${param}.cache_control`);
  const source = block.source;
  if (!isRecord(source)) return invalid('An image block needs a `source` object.', `${param}.source`);
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || !/^image\/[a-z0-9.+-]+$/.test(source.media_type)) {
      return invalid('An image source needs an image `media_type`.', `${param}.source.media_type`);
    }
    if (typeof source.data !== 'string' || source.data.length === 0) {
      return invalid('An image source needs base64 `data`.', `${param}.source.data`);
    }
    return { type: 'image_url', image_url: { url: `data:${source.media_type};base64,${source.data}` } };
  }
  if (source.type === 'url') {
    if (typeof source.url !== 'string' || !/^https?:\/\//i.test(source.url)) {
      return invalid('An image source `url` must be an http(s) URL.', `${param}.source.url`);
    }
    return { type: 'image_url', image_url: { url: source.url } };
  }
  if (source.type === 'file') {
    return unsupported(
      `Images by Files API id (\`source.type: "file"\`) ${NON_ANTHROPIC}.`,
      `${param}.source.type`,
    );
  }
  return invalid('An image `source.type` must be "base64" or "url".', `${param}.source.type`);
}

function unsupportedBlock(type: unknown, param: string): never {
  const name = typeof type === 'string' ? type : String(type);
  if (name === 'document') unsupported(`Document (PDF) blocks ${NON_ANTHROPIC}.`, `${param}.type`);
  if (name === 'thinking' || name === 'redacted_thinking') {
    unsupported(`Thinking blocks (\`${name}\`) ${NON_ANTHROPIC}.`, `${param}.type`);
  }
  if (name.startsWith('server_tool_use') || name.endsWith('_tool_result')) {
    unsupported(`Server tool blocks (\`${name}\`) ${NON_ANTHROPIC}.`, `${param}.type`);
  }
  return typeof type === 'string'
    ? unsupported(`Content blocks of type \`${name}\` ${NON_ANTHROPIC}.`, `${param}.type`)
    : invalid('A content block needs a string `type`.', `${param}.type`);
}

function readToolResult(block: Record<string, unknown>, param: string): ChatMessage {
  refuseCacheControl(block.cache_control, `${param}.cache_control`);
  if (typeof block.tool_use_id !== 'string' || block.tool_use_id.length === 0) {
    invalid('A tool_result block needs a `tool_use_id`.', `${param}.tool_use_id`);
  }
  let content: string | ChatContentPart[];
  if (block.content === undefined || block.content === null) content = '';
  else if (typeof block.content === 'string') content = block.content;
  else if (Array.isArray(block.content)) {
    content = block.content.map((part, index) => {
      const at = `${param}.content[${index}]`;
      if (!isRecord(part)) return invalid('A tool_result content block must be an object.', at);
      if (part.type === 'text') return { type: 'text' as const, text: readText(part, at) };
      if (part.type === 'image') {
        return unsupported(`Images inside a tool_result ${NON_ANTHROPIC}.`, `${at}.type`);
      }
      return unsupportedBlock(part.type, at);
    });
  } else
    return invalid('A tool_result `content` must be a string or an array of blocks.', `${param}.content`);
  if (block.is_error !== undefined && block.is_error !== null && typeof block.is_error !== 'boolean') {
    invalid('`is_error` must be a boolean.', `${param}.is_error`);
  }
  if (block.is_error === true) {
    content =
      typeof content === 'string' ? `Error: ${content}` : [{ type: 'text', text: 'Error:' }, ...content];
  }
  return { role: 'tool', tool_call_id: block.tool_use_id as string, content };
}

function readMessage(message: unknown, param: string): ChatMessage[] {
  if (!isRecord(message)) return invalid('A message must be an object.', param);
  const role = message.role;
  if (role !== 'user' && role !== 'assistant' && role !== 'system') {
    return invalid('A message `role` must be "user", "assistant" or "system".', `${param}.role`);
  }
  const content = message.content;
  if (role === 'system') return [{ role: 'system', content: readSystem(content, `${param}.content`) }];
  if (typeof content === 'string') return [{ role, content }];
  if (!Array.isArray(content)) {
    return invalid('A message `content` must be a string or an array of blocks.', `${param}.content`);
  }
  const blocks = content.map((block, index): [Record<string, unknown>, string] => {
    const at = `${param}.content[${index}]`;
    if (!isRecord(block)) return invalid('A content block must be an object.', at);
    return [block, at];
  });
  return role === 'user' ? readUserBlocks(blocks) : readAssistantBlocks(blocks);
}

function readUserBlocks(blocks: [Record<string, unknown>, string][]): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  for (const [block, at] of blocks) {
    if (block.type === 'text') parts.push({ type: 'text', text: readText(block, at) });
    else if (block.type === 'image') parts.push(readImage(block, at));
    else if (block.type === 'tool_result') toolMessages.push(readToolResult(block, at));
    else unsupportedBlock(block.type, at);
  }
  // Chat tool messages must follow the assistant's tool calls directly; the user's own words come after them.
  if (parts.length === 0 && toolMessages.length > 0) return toolMessages;
  return [...toolMessages, { role: 'user', content: parts }];
}

function readAssistantBlocks(blocks: [Record<string, unknown>, string][]): ChatMessage[] {
  const texts: string[] = [];
  const toolCalls: ChatToolCall[] = [];
  for (const [block, at] of blocks) {
    if (block.type === 'text') texts.push(readText(block, at));
    else if (block.type === 'tool_use') {
      refuseCacheControl(block.cache_control, `${at}.cache_control`);
      if (typeof block.id !== 'string' || block.id.length === 0)
        invalid('A tool_use block needs an `id`.', `${at}.id`);
      if (typeof block.name !== 'string' || block.name.length === 0) {
        invalid('A tool_use block needs a `name`.', `${at}.name`);
      }
      if (!isRecord(block.input)) invalid('A tool_use `input` must be an object.', `${at}.input`);
      toolCalls.push({
        id: block.id as string,
        type: 'function',
        function: { name: block.name as string, arguments: JSON.stringify(block.input) },
      });
    } else if (block.type === 'image')
      unsupported('Images in an assistant message are not supported.', `${at}.type`);
    else unsupportedBlock(block.type, at);
  }
  const message: ChatMessage = {
    role: 'assistant',
    content: texts.length === 1 ? (texts[0] as string) : texts.length === 0 ? null : texts.map(toPart),
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  else if (message.content === null) message.content = '';
  return [message];
}

const toPart = (text: string): ChatContentPart => ({ type: 'text', text });

function readTool(tool: unknown, param: string): ChatTool {
  if (!isRecord(tool)) return invalid('A tool must be an object.', param);
  if (tool.type !== undefined && tool.type !== null && tool.type !== 'custom') {
    return unsupported(
      `The Anthropic server or built-in tool \`${String(tool.type)}\` ${NON_ANTHROPIC}.`,
      `${param}.type`,
    );
  }
  refuseCacheControl(tool.cache_control, `${param}.cache_control`);
  for (const field of ['defer_loading', 'input_examples', 'allowed_callers', 'eager_input_streaming']) {
    if (tool[field] !== undefined && tool[field] !== null) {
      unsupported(`The tool option \`${field}\` ${NON_ANTHROPIC}.`, `${param}.${field}`);
    }
  }
  if (typeof tool.name !== 'string' || tool.name.length === 0)
    invalid('A tool needs a `name`.', `${param}.name`);
  if (!isRecord(tool.input_schema))
    invalid('A tool needs an `input_schema` object.', `${param}.input_schema`);
  const fn: ChatTool['function'] = {
    name: tool.name as string,
    parameters: tool.input_schema as Record<string, unknown>,
  };
  if (tool.description !== undefined && tool.description !== null) {
    if (typeof tool.description !== 'string')
      invalid('A tool `description` must be a string.', `${param}.description`);
    fn.description = tool.description as string;
  }
  if (typeof tool.strict === 'boolean') fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function readToolChoice(value: unknown): { choice: ChatToolChoice; parallel?: boolean } {
  if (!isRecord(value)) return invalid('`tool_choice` must be an object.', 'tool_choice');
  const disable = value.disable_parallel_tool_use;
  if (disable !== undefined && disable !== null && typeof disable !== 'boolean') {
    invalid('`disable_parallel_tool_use` must be a boolean.', 'tool_choice.disable_parallel_tool_use');
  }
  const parallel = disable === true ? false : undefined;
  switch (value.type) {
    case 'auto':
      return { choice: 'auto', parallel };
    case 'any':
      return { choice: 'required', parallel };
    case 'none':
      return { choice: 'none' };
    case 'tool':
      if (typeof value.name !== 'string' || value.name.length === 0) {
        return invalid('A `tool_choice` of type "tool" needs a `name`.', 'tool_choice.name');
      }
      return { choice: { type: 'function', function: { name: value.name } }, parallel };
    default:
      return invalid('`tool_choice.type` must be "auto", "any", "tool" or "none".', 'tool_choice.type');
  }
}

function readOutputConfig(value: unknown, request: ChatRequestBody): void {
  if (!isRecord(value)) invalid('`output_config` must be an object.', 'output_config');
  if (value.effort !== undefined && value.effort !== null) {
    unsupported(`\`output_config.effort\` ${NON_ANTHROPIC}.`, 'output_config.effort');
  }
  for (const field of Object.keys(value)) {
    if (field !== 'effort' && field !== 'format' && value[field] !== undefined && value[field] !== null) {
      unsupported(`\`output_config.${field}\` ${NON_ANTHROPIC}.`, `output_config.${field}`);
    }
  }
  const format = value.format;
  if (format === undefined || format === null) return;
  if (!isRecord(format) || format.type !== 'json_schema' || !isRecord(format.schema)) {
    invalid('`output_config.format` must be {"type":"json_schema","schema":{…}}.', 'output_config.format');
  }
  request.response_format = {
    type: 'json_schema',
    json_schema: { name: 'output', schema: format.schema, strict: true },
  };
}
