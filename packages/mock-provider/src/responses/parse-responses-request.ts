import { countWords, messageText, TOKENS_PER_MESSAGE } from '../count-tokens';
import { invalidRequest, type OpenAiErrorBody } from '../openai-error';
import { describeType, MISSING_MODEL } from '../parse-chat-request';
import type { MockTool, ReplyFormat, ReplyInput } from '../plan-reply';

/** The parts of a Responses request the mock's answer depends on (and echoes). Unknown fields are ignored. */
export interface MockResponsesRequest {
  model: string;
  stream: boolean;
  instructions: string | null;
  maxOutputTokens: number | null;
  previousResponseId: string | null;
  /** `tools` and `tool_choice` as sent, echoed in the response. */
  toolsEcho: unknown[];
  toolChoiceEcho: unknown;
  /** `text` as sent (default `{format:{type:"text"}}`), echoed. */
  textEcho: unknown;
  reply: ReplyInput;
}

export type ResponsesRequestResult =
  | { ok: true; value: MockResponsesRequest }
  | { ok: false; error: OpenAiErrorBody };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fail = (message: string, param: string | null, code: string | null = null): ResponsesRequestResult => ({
  ok: false,
  error: invalidRequest(message, param, code),
});

/** The text of one input item: a message's content (string or `input_text`/`output_text` parts), a tool output. */
function itemText(item: Record<string, unknown>): string {
  if (item.type === 'function_call_output') {
    return typeof item.output === 'string' ? item.output : messageText(item.output);
  }
  return messageText(item.content);
}

function parseTools(tools: unknown): MockTool[] | ResponsesRequestResult {
  if (tools == null) return [];
  if (!Array.isArray(tools))
    return fail(
      `Invalid type for 'tools': expected an array, but got ${describeType(tools)} instead.`,
      'tools',
      'invalid_type',
    );
  const parsed: MockTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    if (!isObject(tool))
      return fail(`Invalid type for 'tools[${i}]': expected an object.`, `tools[${i}]`, 'invalid_type');
    if (tool.type !== 'function') continue; // built-in tools run at OpenAI; the mock only calls functions
    if (typeof tool.name !== 'string' || tool.name === '') {
      return fail(
        `Missing required parameter: 'tools[${i}].name'.`,
        `tools[${i}].name`,
        'missing_required_parameter',
      );
    }
    parsed.push({ name: tool.name, parameters: tool.parameters });
  }
  return parsed;
}

function parseToolChoice(
  choice: unknown,
  tools: MockTool[],
): ReplyInput['toolChoice'] | ResponsesRequestResult {
  if (choice == null || choice === 'auto') return 'auto';
  if (choice === 'none' || choice === 'required') return choice;
  if (isObject(choice) && choice.type === 'function' && typeof choice.name === 'string') {
    const name = choice.name;
    if (!tools.some((tool) => tool.name === name)) {
      return fail(`Tool choice '${name}' not found in 'tools' parameter.`, 'tool_choice', 'invalid_value');
    }
    return { name };
  }
  return fail("Invalid value for 'tool_choice'.", 'tool_choice', 'invalid_value');
}

function parseFormat(text: unknown): ReplyFormat | ResponsesRequestResult {
  const format = isObject(text) ? text.format : undefined;
  if (!isObject(format) || format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'json_schema') {
    if (typeof format.name !== 'string') {
      return fail(
        "Missing required parameter: 'text.format.name'.",
        'text.format.name',
        'missing_required_parameter',
      );
    }
    return { type: 'json_schema', schema: format.schema };
  }
  return fail(
    `Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object', and 'json_schema'.`,
    'text.format.type',
    'invalid_value',
  );
}

/**
 * Validates a Responses body and reads it. Prompt tokens follow the chat rule: `instructions` counts as one
 * message when present, a string `input` as one user message, and every input item 3 + the words of its
 * text (a `function_call_output` counts its output).
 */
export function parseResponsesRequest(body: unknown): ResponsesRequestResult {
  if (!isObject(body))
    return fail(`Invalid type for 'body': expected an object, but got ${describeType(body)} instead.`, null);
  const { model, input, instructions, stream, max_output_tokens: maxOutputTokens } = body;
  if (model == null) return { ok: false, error: MISSING_MODEL };
  if (typeof model !== 'string')
    return fail(
      `Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`,
      'model',
      'invalid_type',
    );
  if (input === undefined && body.previous_response_id == null) {
    return fail("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  }
  let items: Record<string, unknown>[];
  if (input === undefined) items = [];
  else if (typeof input === 'string') items = [{ role: 'user', content: input }];
  else if (Array.isArray(input) && input.every(isObject)) items = input;
  else
    return fail(
      `Invalid type for 'input': expected a string or an array of input items, but got ${describeType(input)} instead.`,
      'input',
      'invalid_type',
    );
  if (instructions != null && typeof instructions !== 'string') {
    return fail(
      `Invalid type for 'instructions': expected a string, but got ${describeType(instructions)} instead.`,
      'instructions',
      'invalid_type',
    );
  }
  if (maxOutputTokens != null && !(Number.isInteger(maxOutputTokens) && (maxOutputTokens as number) >= 16)) {
    return fail(
      `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got ${String(maxOutputTokens)} instead.`,
      'max_output_tokens',
      'integer_below_min_value',
    );
  }
  if (stream != null && typeof stream !== 'boolean')
    return fail(
      `Invalid type for 'stream': expected a boolean, but got ${describeType(stream)} instead.`,
      'stream',
      'invalid_type',
    );
  const previous = body.previous_response_id;
  if (previous != null && typeof previous !== 'string') {
    return fail(
      `Invalid type for 'previous_response_id': expected a string.`,
      'previous_response_id',
      'invalid_type',
    );
  }
  const tools = parseTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  const toolChoice = parseToolChoice(body.tool_choice, tools);
  if (typeof toolChoice === 'object' && 'ok' in toolChoice) return toolChoice;
  const format = parseFormat(body.text);
  if ('ok' in format) return format;

  let promptTokens = typeof instructions === 'string' ? TOKENS_PER_MESSAGE + countWords(instructions) : 0;
  for (const item of items) promptTokens += TOKENS_PER_MESSAGE + countWords(itemText(item));
  const last = items[items.length - 1];
  let lastUserText = '';
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (item.role === 'user') {
      lastUserText = itemText(item);
      break;
    }
  }
  return {
    ok: true,
    value: {
      model,
      stream: stream === true,
      instructions: typeof instructions === 'string' ? instructions : null,
      maxOutputTokens: (maxOutputTokens as number | null | undefined) ?? null,
      previousResponseId: (previous as string | null | undefined) ?? null,
      toolsEcho: Array.isArray(body.tools) ? body.tools : [],
      toolChoiceEcho: body.tool_choice ?? 'auto',
      textEcho: isObject(body.text) ? body.text : { format: { type: 'text' } },
      reply: {
        promptTokens,
        lastUserText,
        toolResultText: last?.type === 'function_call_output' ? itemText(last) : undefined,
        tools,
        toolChoice,
        parallelToolCalls: body.parallel_tool_calls !== false,
        maxTokens: (maxOutputTokens as number | null | undefined) ?? undefined,
        format,
      },
    },
  };
}
