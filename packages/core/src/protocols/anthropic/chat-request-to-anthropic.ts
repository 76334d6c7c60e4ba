import type { Result } from '../../gateway-error';
import type { ChatRequestBody } from '../canonical-chat';
import type {
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicImageMediaType,
  AnthropicMessage,
  AnthropicRequestBody,
  AnthropicTextBlock,
  AnthropicTool,
  AnthropicToolChoice,
} from './anthropic-messages';
import { isRecord } from './is-record';
import { invalid, translateOrRefuse, unsupported } from './refusal';

/**
 * `max_tokens` sent to Anthropic when the canonical request names none. Anthropic requires the field; OpenAI
 * defaults to "as much as the model allows", which no single number matches for every model. 4096 is what most
 * Anthropic SDK examples and other gateways use: long enough for ordinary answers, short enough that a budget
 * reservation for it stays modest. A caller who needs more says so.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

const TO_ANTHROPIC = 'cannot be served by an Anthropic upstream';

/** Canonical fields the translation understands; any other field with a value is refused by name. */
const KNOWN_FIELDS = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'max_tokens',
  'max_completion_tokens',
  'temperature',
  'top_p',
  'stop',
  'n',
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'user',
  'reasoning_effort',
  'presence_penalty',
  'frequency_penalty',
  'logprobs',
  'top_logprobs',
  'store',
  'safety_identifier',
  // A routing hint for OpenAI's prompt cache: it never changes an answer, so leaving it behind drops nothing.
  'prompt_cache_key',
]);

const MEDIA_TYPES: ReadonlySet<string> = new Set<AnthropicImageMediaType>([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
]);

/** The translated request: the body to send to `POST /v1/messages` (serialise with `JSON.stringify`). */
export interface AnthropicUpstreamRequest {
  body: AnthropicRequestBody;
}

/**
 * Translates a canonical chat request (already validated by the chat surface, but read defensively) into an
 * Anthropic Messages request for `upstreamModel`.
 *
 * - Leading system/developer messages become `system`; a later one stays in place as a `role: "system"` message
 *   (the Messages API takes them since SDK 1.x).
 * - Consecutive same-role messages are merged (Anthropic wants user and assistant to alternate); each `tool`
 *   message becomes a `tool_result` block in a user message, ahead of any user text that follows.
 * - Assistant `tool_calls` become `tool_use` blocks (arguments JSON text → input object; arguments that are not
 *   a JSON object are `invalid_request` naming the field).
 * - `max_completion_tokens` ?? `max_tokens` ?? {@link ANTHROPIC_DEFAULT_MAX_TOKENS}; `stop` → `stop_sequences`;
 *   `safety_identifier` (else `user`) → `metadata.user_id`; `tool_choice` auto/required/function/none →
 *   auto/any/tool/none and `parallel_tool_calls: false` → `disable_parallel_tool_use`; `response_format`
 *   json_schema → `output_config.format`; `reasoning_effort` low/medium/high → `output_config.effort`.
 *
 * Refused with `unsupported_feature`, naming the field: `n` > 1, `logprobs`/`top_logprobs`, `response_format`
 * json_object, `presence_penalty`/`frequency_penalty` other than 0, `temperature` above 1 (Anthropic's range is
 * 0–1), `store: true`, non-image media, and any other field (`seed`, `logit_bias`, `audio`, …): none of them can
 * be honoured, and dropping them silently would change the answer unseen. Not carried, being hints Anthropic
 * has no place for rather than instructions: a message's `name` (participant names) and `prompt_cache_key`.
 */
export function chatRequestToAnthropic(
  req: ChatRequestBody,
  upstreamModel: string,
): Result<AnthropicUpstreamRequest> {
  return translateOrRefuse(() => ({ body: translate(req as unknown, upstreamModel) }));
}

function translate(req: unknown, upstreamModel: string): AnthropicRequestBody {
  if (!isRecord(req)) return invalid('The request body must be a JSON object.', '');
  for (const [field, value] of Object.entries(req)) {
    if (!KNOWN_FIELDS.has(field) && value !== undefined && value !== null) {
      unsupported(`The parameter \`${field}\` ${TO_ANTHROPIC}.`, field);
    }
  }
  refuseUnlessDefault(req);
  const body: AnthropicRequestBody = { model: upstreamModel, max_tokens: readMaxTokens(req), messages: [] };
  if (!Array.isArray(req.messages) || req.messages.length === 0) {
    invalid('`messages` must be a non-empty array.', 'messages');
  }
  const messages = req.messages as unknown[];
  let index = 0;
  const system: AnthropicTextBlock[] = [];
  let systemIsString = true;
  for (; index < messages.length; index++) {
    const message = messages[index];
    if (!isRecord(message) || (message.role !== 'system' && message.role !== 'developer')) break;
    const content = readTextOnly(message.content, `messages[${index}].content`);
    if (typeof content !== 'string') systemIsString = false;
    system.push(...toTextBlocks(content));
  }
  if (system.length > 0) {
    body.system = systemIsString && system.length === 1 ? (system[0] as AnthropicTextBlock).text : system;
  }
  for (; index < messages.length; index++) {
    appendMessage(body.messages, messages[index], `messages[${index}]`);
  }

  if (req.stream === true) body.stream = true;
  if (req.temperature !== undefined && req.temperature !== null) {
    if (typeof req.temperature !== 'number' || !Number.isFinite(req.temperature) || req.temperature < 0) {
      invalid('`temperature` must be a non-negative number.', 'temperature');
    }
    if ((req.temperature as number) > 1) {
      unsupported(`A \`temperature\` above 1 ${TO_ANTHROPIC} (its range is 0 to 1).`, 'temperature');
    }
    body.temperature = req.temperature as number;
  }
  if (req.top_p !== undefined && req.top_p !== null) {
    if (typeof req.top_p !== 'number' || !Number.isFinite(req.top_p) || req.top_p < 0 || req.top_p > 1) {
      invalid('`top_p` must be a number from 0 to 1.', 'top_p');
    }
    body.top_p = req.top_p as number;
  }
  if (req.stop !== undefined && req.stop !== null) {
    const stop = typeof req.stop === 'string' ? [req.stop] : req.stop;
    if (!Array.isArray(stop) || !stop.every((s) => typeof s === 'string')) {
      invalid('`stop` must be a string or an array of strings.', 'stop');
    }
    if ((stop as string[]).length > 0) body.stop_sequences = [...(stop as string[])];
  }
  for (const field of ['safety_identifier', 'user']) {
    const value = req[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') invalid(`\`${field}\` must be a string.`, field);
    body.metadata = { user_id: value as string };
    break;
  }
  if (req.tools !== undefined && req.tools !== null) {
    if (!Array.isArray(req.tools)) invalid('`tools` must be an array.', 'tools');
    const tools = (req.tools as unknown[]).map((tool, i) => readTool(tool, `tools[${i}]`));
    if (tools.length > 0) body.tools = tools;
  }
  const choice = readToolChoice(req.tool_choice, req.parallel_tool_calls, body.tools !== undefined);
  if (choice) body.tool_choice = choice;
  readResponseFormat(req, body);
  return body;
}

function refuseUnlessDefault(req: Record<string, unknown>): void {
  if (req.n !== undefined && req.n !== null && req.n !== 1) {
    unsupported(`Several choices (\`n\` > 1) ${TO_ANTHROPIC}.`, 'n');
  }
  if (req.logprobs !== undefined && req.logprobs !== null && req.logprobs !== false) {
    unsupported(`\`logprobs\` ${TO_ANTHROPIC}.`, 'logprobs');
  }
  if (req.top_logprobs !== undefined && req.top_logprobs !== null) {
    unsupported(`\`top_logprobs\` ${TO_ANTHROPIC}.`, 'top_logprobs');
  }
  for (const field of ['presence_penalty', 'frequency_penalty']) {
    if (req[field] !== undefined && req[field] !== null && req[field] !== 0) {
      unsupported(`A non-zero \`${field}\` ${TO_ANTHROPIC}.`, field);
    }
  }
  if (req.store !== undefined && req.store !== null && req.store !== false) {
    unsupported(`Stored completions (\`store\`) ${TO_ANTHROPIC}.`, 'store');
  }
}

function readMaxTokens(req: Record<string, unknown>): number {
  for (const field of ['max_completion_tokens', 'max_tokens']) {
    const value = req[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      return invalid(`\`${field}\` must be a positive integer.`, field);
    }
    return value;
  }
  return ANTHROPIC_DEFAULT_MAX_TOKENS;
}

function toTextBlocks(content: string | AnthropicTextBlock[]): AnthropicTextBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

/** Content that may hold only text (system, developer and tool messages). */
function readTextOnly(content: unknown, param: string): string | AnthropicTextBlock[] {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return invalid('`content` must be a string or an array of parts.', param);
  return content.map((part, index) => {
    if (!isRecord(part) || part.type !== 'text' || typeof part.text !== 'string') {
      return invalid('Only text parts are allowed here.', `${param}[${index}]`);
    }
    return { type: 'text' as const, text: part.text };
  });
}

function readImage(part: Record<string, unknown>, param: string): AnthropicImageBlock {
  const image = part.image_url;
  if (!isRecord(image) || typeof image.url !== 'string') {
    return invalid('An image part needs `image_url.url`.', `${param}.image_url.url`);
  }
  const url = image.url;
  const data = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (data) {
    const mediaType = (data[1] as string).toLowerCase();
    if (!MEDIA_TYPES.has(mediaType)) {
      return unsupported(
        `Images of type ${mediaType} ${TO_ANTHROPIC} (JPEG, PNG, GIF and WebP only).`,
        `${param}.image_url.url`,
      );
    }
    return {
      type: 'image',
      source: { type: 'base64', media_type: mediaType as AnthropicImageMediaType, data: data[2] as string },
    };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  return invalid('An image URL must be an http(s) URL or a base64 data URL.', `${param}.image_url.url`);
}

function readUserContent(content: unknown, param: string): AnthropicContentBlock[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) return invalid('`content` must be a string or an array of parts.', param);
  return content.map((part, index): AnthropicContentBlock => {
    const at = `${param}[${index}]`;
    if (!isRecord(part)) return invalid('A content part must be an object.', at);
    if (part.type === 'text') {
      if (typeof part.text !== 'string') return invalid('A text part needs a string `text`.', `${at}.text`);
      return { type: 'text', text: part.text };
    }
    if (part.type === 'image_url') return readImage(part, at);
    return unsupported(`Content parts of type \`${String(part.type)}\` ${TO_ANTHROPIC}.`, `${at}.type`);
  });
}

function readAssistant(message: Record<string, unknown>, param: string): AnthropicContentBlock[] {
  // Anthropic refuses empty text blocks; an assistant turn with only tool calls has no text at all.
  const text = toTextBlocks(readTextOnly(message.content, `${param}.content`));
  const result: AnthropicContentBlock[] = text.filter((block) => block.text.length > 0);
  const calls = message.tool_calls;
  if (calls === undefined || calls === null) return result;
  if (!Array.isArray(calls)) return invalid('`tool_calls` must be an array.', `${param}.tool_calls`);
  for (const [index, call] of calls.entries()) {
    const at = `${param}.tool_calls[${index}]`;
    if (!isRecord(call) || !isRecord(call.function)) invalid('A tool call needs a `function`.', at);
    if (typeof call.id !== 'string' || call.id.length === 0)
      invalid('A tool call needs an `id`.', `${at}.id`);
    const fn = call.function;
    if (typeof fn.name !== 'string' || fn.name.length === 0) {
      invalid('A tool call needs a function `name`.', `${at}.function.name`);
    }
    const input = parseArguments(fn.arguments, `${at}.function.arguments`);
    result.push({ type: 'tool_use', id: call.id as string, name: fn.name as string, input });
  }
  return result;
}

function parseArguments(value: unknown, param: string): Record<string, unknown> {
  if (value === undefined || value === null || value === '') return {};
  if (typeof value !== 'string') return invalid('Tool call arguments must be a JSON text.', param);
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return invalid('Tool call arguments are not valid JSON.', param);
  }
  if (!isRecord(parsed)) return invalid('Tool call arguments must be a JSON object.', param);
  return parsed;
}

function appendMessage(out: AnthropicMessage[], message: unknown, param: string): void {
  if (!isRecord(message)) invalid('A message must be an object.', param);
  let role: AnthropicMessage['role'];
  let blocks: AnthropicContentBlock[];
  switch (message.role) {
    case 'system':
    case 'developer':
      out.push({ role: 'system', content: readTextOnly(message.content, `${param}.content`) });
      return;
    case 'user':
      role = 'user';
      blocks = readUserContent(message.content, `${param}.content`);
      break;
    case 'assistant':
      role = 'assistant';
      blocks = readAssistant(message, param);
      break;
    case 'tool': {
      if (typeof message.tool_call_id !== 'string' || message.tool_call_id.length === 0) {
        invalid('A tool message needs a `tool_call_id`.', `${param}.tool_call_id`);
      }
      const content = readTextOnly(message.content, `${param}.content`);
      role = 'user';
      blocks = [{ type: 'tool_result', tool_use_id: message.tool_call_id as string, content }];
      break;
    }
    default:
      unsupported(`Messages with role \`${String(message.role)}\` ${TO_ANTHROPIC}.`, `${param}.role`);
  }
  const last = out.at(-1);
  if (last && last.role === role) {
    // Anthropic wants user and assistant turns to alternate: consecutive turns of one role become one.
    last.content = [...asBlocks(last.content), ...blocks];
    return;
  }
  if (role === 'assistant' && blocks.length === 0) return;
  const only = blocks[0];
  const content =
    blocks.length === 1 && only?.type === 'text' && typeof message.content === 'string' ? only.text : blocks;
  out.push({ role, content });
}

function asBlocks(content: AnthropicMessage['content']): AnthropicContentBlock[] {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function readTool(tool: unknown, param: string): AnthropicTool {
  if (!isRecord(tool)) return invalid('A tool must be an object.', param);
  if (tool.type !== 'function' || !isRecord(tool.function)) {
    return unsupported(`Tools of type \`${String(tool.type)}\` ${TO_ANTHROPIC}.`, `${param}.type`);
  }
  const fn = tool.function;
  if (typeof fn.name !== 'string' || fn.name.length === 0)
    invalid('A tool needs a `name`.', `${param}.function.name`);
  const result: AnthropicTool = {
    name: fn.name as string,
    input_schema: isRecord(fn.parameters) ? fn.parameters : { type: 'object', properties: {} },
  };
  if (typeof fn.description === 'string') result.description = fn.description;
  if (typeof fn.strict === 'boolean') result.strict = fn.strict;
  return result;
}

function readToolChoice(
  choice: unknown,
  parallel: unknown,
  hasTools: boolean,
): AnthropicToolChoice | undefined {
  const serial = parallel === false;
  const withParallel = <T extends { type: 'auto' | 'any' | 'tool' }>(value: T): T =>
    serial ? { ...value, disable_parallel_tool_use: true } : value;
  if (choice === undefined || choice === null) {
    return serial && hasTools ? withParallel({ type: 'auto' }) : undefined;
  }
  if (choice === 'auto') return withParallel({ type: 'auto' });
  if (choice === 'required') return withParallel({ type: 'any' });
  if (choice === 'none') return { type: 'none' };
  if (isRecord(choice) && choice.type === 'function' && isRecord(choice.function)) {
    const name = choice.function.name;
    if (typeof name !== 'string' || name.length === 0) {
      return invalid('`tool_choice.function.name` must be a tool name.', 'tool_choice.function.name');
    }
    return withParallel({ type: 'tool', name });
  }
  return invalid('`tool_choice` must be "auto", "required", "none" or a function.', 'tool_choice');
}

function readResponseFormat(req: Record<string, unknown>, body: AnthropicRequestBody): void {
  const format = req.response_format;
  if (format !== undefined && format !== null) {
    if (!isRecord(format)) invalid('`response_format` must be an object.', 'response_format');
    const { type, json_schema: jsonSchema } = format as Record<string, unknown>;
    if (type === 'json_schema') {
      if (!isRecord(jsonSchema) || !isRecord(jsonSchema.schema)) {
        invalid(
          '`response_format.json_schema.schema` must be an object.',
          'response_format.json_schema.schema',
        );
      }
      body.output_config = {
        format: { type: 'json_schema', schema: (jsonSchema as { schema: Record<string, unknown> }).schema },
      };
    } else if (type === 'json_object') {
      unsupported(
        `JSON mode (\`response_format: json_object\`) ${TO_ANTHROPIC}; use json_schema.`,
        'response_format.type',
      );
    } else if (type !== 'text') {
      invalid(
        '`response_format.type` must be "text", "json_object" or "json_schema".',
        'response_format.type',
      );
    }
  }
  const effort = req.reasoning_effort;
  if (effort !== undefined && effort !== null) {
    if (effort !== 'low' && effort !== 'medium' && effort !== 'high') {
      unsupported(`\`reasoning_effort: ${String(effort)}\` ${TO_ANTHROPIC}.`, 'reasoning_effort');
    }
    body.output_config = { ...body.output_config, effort: effort as 'low' | 'medium' | 'high' };
  }
}
