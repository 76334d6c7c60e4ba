import { invalidRequest, type OpenAiErrorBody } from './openai-error';
import type { MockTool, ReplyFormat } from './plan-reply';

export type { MockTool } from './plan-reply';

/** One message as the mock reads it; other fields are ignored. */
export interface MockChatMessage {
  role: string;
  content?: unknown;
}

/** The parts of a chat request the mock's reply depends on. Unknown fields are ignored, like OpenAI. */
export interface MockChatRequest {
  model: string;
  messages: MockChatMessage[];
  stream: boolean;
  /** `stream_options.include_usage === true` on a streaming request. */
  includeUsage: boolean;
  /** `max_completion_tokens`, else `max_tokens`. */
  maxTokens: number | undefined;
  tools: MockTool[];
  /** `tool_choice`: 'auto' when absent; a function name when one is forced. */
  toolChoice: 'auto' | 'none' | 'required' | { name: string };
  /** `parallel_tool_calls`, true unless false. */
  parallelToolCalls: boolean;
  /** `n`: how many choices, 1 by default. */
  n: number;
  /** `response_format`: text unless `json_object` or `json_schema`. */
  responseFormat: ReplyFormat;
}

export type ChatRequestResult = { ok: true; value: MockChatRequest } | { ok: false; error: OpenAiErrorBody };

const ROLES = ['system', 'assistant', 'user', 'function', 'tool', 'developer'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** OpenAI's wording for a JSON value's type in its error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

const fail = (message: string, param: string | null, code: string | null): ChatRequestResult => ({
  ok: false,
  error: invalidRequest(message, param, code),
});

const invalidType = (param: string, expected: string, value: unknown) =>
  fail(
    `Invalid type for '${param}': expected ${expected}, but got ${describeType(value)} instead.`,
    param,
    'invalid_type',
  );

/** OpenAI's answer to a body that is not JSON. */
export const UNPARSABLE_JSON = invalidRequest(
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
);

/** OpenAI's answer to a request without `model`. */
export const MISSING_MODEL = invalidRequest('you must provide a model parameter');

function parseMaxTokens(body: Record<string, unknown>): ChatRequestResult | number | undefined {
  const param = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const value = body[param];
  if (value == null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) return invalidType(param, 'an integer', value);
  if (value < 1) {
    return fail(
      `Invalid '${param}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
      param,
      'integer_below_min_value',
    );
  }
  return value;
}

function parseTools(body: Record<string, unknown>): ChatRequestResult | MockTool[] {
  const { tools } = body;
  if (tools == null) return [];
  if (!Array.isArray(tools)) return invalidType('tools', 'an array of objects', tools);
  const parsed: MockTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    if (!isObject(tool)) return invalidType(`tools[${i}]`, 'an object', tool);
    if (tool.type !== 'function') continue; // custom tools exist; the mock only calls functions
    const fn = tool.function;
    if (!isObject(fn)) {
      return fail(
        `Missing required parameter: 'tools[${i}].function'.`,
        `tools[${i}].function`,
        'missing_required_parameter',
      );
    }
    if (typeof fn.name !== 'string' || fn.name.length === 0) {
      return fail(
        `Missing required parameter: 'tools[${i}].function.name'.`,
        `tools[${i}].function.name`,
        'missing_required_parameter',
      );
    }
    parsed.push({ name: fn.name, parameters: fn.parameters });
  }
  return parsed;
}

function parseToolChoice(
  body: Record<string, unknown>,
  tools: MockTool[],
): ChatRequestResult | MockChatRequest['toolChoice'] {
  const choice = body.tool_choice;
  if (choice == null) return 'auto';
  if (tools.length === 0) {
    return fail(
      "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
      'tool_choice',
      null,
    );
  }
  if (choice === 'auto' || choice === 'none' || choice === 'required') return choice;
  const forced = isObject(choice) && isObject(choice.function) ? choice.function.name : undefined;
  if (typeof forced !== 'string') {
    return fail(
      "Invalid value for 'tool_choice': expected 'none', 'auto', 'required' or a named function.",
      'tool_choice',
      'invalid_value',
    );
  }
  if (!tools.some((tool) => tool.name === forced)) {
    return fail(
      `Invalid value for 'tool_choice': function '${forced}' is not one of the provided tools.`,
      'tool_choice',
      'invalid_value',
    );
  }
  return { name: forced };
}

/** Most choices one request may ask for, as OpenAI. */
export const MAX_CHOICES = 128;

function parseN(body: Record<string, unknown>): ChatRequestResult | number {
  const { n } = body;
  if (n == null) return 1;
  if (typeof n !== 'number' || !Number.isInteger(n)) return invalidType('n', 'an integer', n);
  if (n < 1 || n > MAX_CHOICES) {
    return fail(
      `Invalid 'n': expected an integer between 1 and ${MAX_CHOICES}, but got ${n} instead.`,
      'n',
      n < 1 ? 'integer_below_min_value' : 'integer_above_max_value',
    );
  }
  return n;
}

const TEXT_FORMAT: ReplyFormat = Object.freeze({ type: 'text' });
const JSON_OBJECT_FORMAT: ReplyFormat = Object.freeze({ type: 'json_object' });

function parseResponseFormat(body: Record<string, unknown>): ChatRequestResult | ReplyFormat {
  const format = body.response_format;
  if (format == null) return TEXT_FORMAT;
  if (!isObject(format)) return invalidType('response_format', 'an object', format);
  if (format.type === 'text') return TEXT_FORMAT;
  if (format.type === 'json_object') return JSON_OBJECT_FORMAT;
  if (format.type === 'json_schema') {
    const spec = format.json_schema;
    if (!isObject(spec) || typeof spec.name !== 'string') {
      return fail(
        "Missing required parameter: 'response_format.json_schema.name'.",
        'response_format.json_schema.name',
        'missing_required_parameter',
      );
    }
    return { type: 'json_schema', schema: spec.schema };
  }
  return fail(
    `Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
    'response_format.type',
    'invalid_value',
  );
}

/** Validates a parsed chat request body the way OpenAI does and names the first bad field. */
export function parseChatRequest(body: unknown): ChatRequestResult {
  if (!isObject(body)) return invalidType('body', 'an object', body);
  const { model, messages, stream } = body;
  if (model == null) return { ok: false, error: MISSING_MODEL };
  if (typeof model !== 'string') return invalidType('model', 'a string', model);
  if (messages === undefined) {
    return fail("Missing required parameter: 'messages'.", 'messages', 'missing_required_parameter');
  }
  if (!Array.isArray(messages)) return invalidType('messages', 'an array of objects', messages);
  if (messages.length === 0) {
    return fail(
      "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
      'messages',
      'empty_array',
    );
  }
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) return invalidType(`messages[${i}]`, 'an object', message);
    if (message.role === undefined) {
      return fail(
        `Missing required parameter: 'messages[${i}].role'.`,
        `messages[${i}].role`,
        'missing_required_parameter',
      );
    }
    if (typeof message.role !== 'string' || !ROLES.includes(message.role)) {
      return fail(
        `Invalid value: '${String(message.role)}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        `messages[${i}].role`,
        'invalid_value',
      );
    }
  }
  if (stream != null && typeof stream !== 'boolean') return invalidType('stream', 'a boolean', stream);
  const maxTokens = parseMaxTokens(body);
  if (typeof maxTokens === 'object') return maxTokens;
  const tools = parseTools(body);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(body, tools);
  if (typeof toolChoice === 'object' && 'ok' in toolChoice) return toolChoice;
  const n = parseN(body);
  if (typeof n === 'object') return n;
  const responseFormat = parseResponseFormat(body);
  if ('ok' in responseFormat) return responseFormat;
  const streamOptions = body.stream_options;
  return {
    ok: true,
    value: {
      model,
      messages: messages as MockChatMessage[],
      stream: stream === true,
      includeUsage: stream === true && isObject(streamOptions) && streamOptions.include_usage === true,
      maxTokens,
      tools,
      toolChoice,
      parallelToolCalls: body.parallel_tool_calls !== false,
      n,
      responseFormat,
    },
  };
}
