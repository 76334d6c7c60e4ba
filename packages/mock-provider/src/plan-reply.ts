import { countCompletionTokens, countToolCallTokens } from './count-tokens';

/** Token usage of one reply. */
export interface MockUsage {
  promptTokens: number;
  completionTokens: number;
}

/** A function tool offered by the caller, whatever the protocol. */
export interface MockTool {
  name: string;
  /** The function's JSON schema, if any. */
  parameters: unknown;
}

/** One function call the mock makes. */
export interface PlannedToolCall {
  name: string;
  /** The arguments JSON, compact (no spaces). */
  arguments: string;
}

/** What the mock answers, before it is dressed in a protocol's wire shape. */
export type ChatReply =
  | {
      kind: 'text';
      /** The reply split on single spaces; `content` is them joined by single spaces. */
      words: string[];
      content: string;
      finishReason: 'stop' | 'length';
      usage: MockUsage;
    }
  | {
      kind: 'tool_call';
      /** One call, or several (see `planReply`), in the order of the offered tools. */
      calls: PlannedToolCall[];
      finishReason: 'tool_calls';
      usage: MockUsage;
    };

/** How the caller constrains the reply's text, across protocols. */
export type ReplyFormat =
  | { type: 'text' }
  /** OpenAI `json_object`, Gemini `responseMimeType: application/json` without a schema. */
  | { type: 'json_object' }
  /** OpenAI `json_schema`, Gemini `responseSchema` / `responseJsonSchema`. */
  | { type: 'json_schema'; schema: unknown };

/** A protocol-neutral view of a request, all the reply depends on. Each protocol's parser fills it. */
export interface ReplyInput {
  /** Prompt tokens as that protocol's usage reports them (see `count-tokens.ts`). */
  promptTokens: number;
  /** Text of the last user message ('' when there is none). */
  lastUserText: string;
  /** Text of the tool result the conversation ends with; `undefined` when it does not end with one. */
  toolResultText: string | undefined;
  tools: readonly MockTool[];
  /** 'required' is OpenAI `required`, Anthropic `any`, Gemini `ANY`. */
  toolChoice: 'auto' | 'none' | 'required' | { name: string };
  /** False when the caller forbids parallel calls (`parallel_tool_calls: false`, `disable_parallel_tool_use`). */
  parallelToolCalls: boolean;
  /** Maximum reply words (tokens); `undefined` for no limit. */
  maxTokens: number | undefined;
  format: ReplyFormat;
}

/** How many words of the user's (or tool's) text the reply repeats. */
export const MAX_ECHO_WORDS = 32;
/** Fixed words closing every text reply. */
export const REPLY_TAIL = ['—', 'this', 'is', 'a', 'deterministic', 'mock', 'completion.'] as const;

const WORD = /\S+/g;

function echoWords(text: string): string[] {
  const words = text.match(WORD) ?? [];
  return words.length > MAX_ECHO_WORDS ? words.slice(0, MAX_ECHO_WORDS) : words;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How deep `mockValueForSchema` follows nested object schemas. */
export const MAX_SCHEMA_DEPTH = 64;

/**
 * A deterministic value for a JSON schema: the first `enum` value (or `const`), "mock" for strings, 1 for
 * numbers, true for booleans, [] for arrays, and for objects the required properties filled the same way.
 */
export function mockValueForSchema(schema: unknown, depth = 0): unknown {
  // A caller's schema may nest without end; past this depth the mock answers a string.
  if (!isObject(schema) || depth > MAX_SCHEMA_DEPTH) return 'mock';
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (typeof type === 'string' ? type.toLowerCase() : type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'null':
      return null;
    case 'object': {
      // No prototype: a property named `__proto__` (a schema is caller-controlled) stays a property.
      const value: Record<string, unknown> = Object.create(null);
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const name of required) {
        if (typeof name === 'string')
          value[name] = mockValueForSchema(
            Object.hasOwn(properties, name) ? properties[name] : undefined,
            depth + 1,
          );
      }
      return value;
    }
    default:
      return 'mock';
  }
}

/** The arguments JSON the mock sends when it calls `tool`: its required properties, see `mockValueForSchema`. */
export function mockToolArguments(tool: MockTool): string {
  const value = isObject(tool.parameters) ? mockValueForSchema({ type: 'object', ...tool.parameters }) : {};
  return JSON.stringify(value);
}

function plannedCall(tool: MockTool): PlannedToolCall {
  return { name: tool.name, arguments: mockToolArguments(tool) };
}

/**
 * The tools the mock calls, or none:
 * - no tools, `toolChoice` "none", or the conversation ends with a tool result: none;
 * - a forced function: that one;
 * - "required" (Anthropic `any`, Gemini `ANY`) with parallel calls allowed and several tools: every tool,
 *   in the order given;
 * - otherwise the first tool.
 */
export function plannedToolCalls(input: ReplyInput): PlannedToolCall[] {
  const { tools, toolChoice } = input;
  if (tools.length === 0 || toolChoice === 'none' || input.toolResultText !== undefined) return [];
  if (typeof toolChoice === 'object') {
    const forced = tools.find((t) => t.name === toolChoice.name);
    return [plannedCall(forced ?? tools[0]!)];
  }
  if (toolChoice === 'required' && input.parallelToolCalls && tools.length > 1) return tools.map(plannedCall);
  return [plannedCall(tools[0]!)];
}

/** The words of the reply text before any format wrapping: the echo of the last user message or of the tool result. */
function replyWords(input: ReplyInput): string[] {
  const words =
    input.toolResultText !== undefined
      ? ['Mock', 'reply', 'using', 'tool', 'result:', ...echoWords(input.toolResultText)]
      : ['Mock', 'reply', 'to:', ...echoWords(input.lastUserText)];
  words.push(...REPLY_TAIL);
  return words;
}

/**
 * The reply as a pure function of the request, the same rule for every protocol:
 *
 * - tool calls when `plannedToolCalls` names any (`finishReason: "tool_calls"`);
 * - else the text `Mock reply to: <last user text, first 32 words> — this is a deterministic mock
 *   completion.`, or after a tool result `Mock reply using tool result: <its text, first 32 words> — …`;
 * - `json_object` wraps that text as `{"reply":"<text>"}`; `json_schema` answers `mockValueForSchema(schema)`
 *   as JSON instead;
 * - cut to `maxTokens` space-separated words (`finishReason: "length"`; a cut JSON reply is not valid JSON,
 *   as with a real model).
 */
export function planReply(input: ReplyInput): ChatReply {
  const { promptTokens } = input;
  const calls = plannedToolCalls(input);
  if (calls.length > 0) {
    let completionTokens = 0;
    for (const call of calls) completionTokens += countToolCallTokens(call.name, call.arguments);
    return {
      kind: 'tool_call',
      calls,
      finishReason: 'tool_calls',
      usage: { promptTokens, completionTokens },
    };
  }
  const { format } = input;
  let words: string[];
  let text: string;
  if (format.type === 'text') {
    words = replyWords(input);
    text = words.join(' ');
  } else {
    text =
      format.type === 'json_object'
        ? JSON.stringify({ reply: replyWords(input).join(' ') })
        : (JSON.stringify(mockValueForSchema(format.schema)) ?? 'null');
    words = text.split(' ');
  }
  let finishReason: 'stop' | 'length' = 'stop';
  if (input.maxTokens !== undefined && words.length > input.maxTokens) {
    words = words.slice(0, input.maxTokens);
    finishReason = 'length';
  }
  const content = finishReason === 'length' ? words.join(' ') : text;
  return {
    kind: 'text',
    words,
    content,
    finishReason,
    usage: { promptTokens, completionTokens: countCompletionTokens(content) },
  };
}
