import { countCompletionTokens, countPromptTokens, countToolCallTokens, messageText } from './count-tokens';
import type { MockChatRequest, MockTool } from './parse-chat-request';

/** Token usage of one reply. */
export interface MockUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What the mock answers, before it is dressed as a `chat.completion` or a stream of chunks. */
export type ChatReply =
  | {
      kind: 'text';
      /** The words of the reply; `content` is them joined by single spaces. */
      words: string[];
      content: string;
      finishReason: 'stop' | 'length';
      usage: MockUsage;
    }
  | {
      kind: 'tool_call';
      name: string;
      /** The arguments JSON, compact. */
      arguments: string;
      finishReason: 'tool_calls';
      usage: MockUsage;
    };

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

/**
 * A deterministic value for a JSON schema: the first `enum` value, "mock" for strings, 1 for numbers,
 * true for booleans, [] for arrays, and for objects the required properties filled the same way.
 */
export function mockValueForSchema(schema: unknown): unknown {
  if (!isObject(schema)) return 'mock';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
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
      const value: Record<string, unknown> = {};
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? schema.required : [];
      for (const name of required) {
        if (typeof name === 'string') value[name] = mockValueForSchema(properties[name]);
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

/**
 * The reply as a pure function of the request.
 *
 * - Tools offered, `tool_choice` not "none", and the last message not a tool result: one call to the forced
 *   function or else the first one, `finish_reason: "tool_calls"`.
 * - Last message a tool result: `Mock reply using tool result: <its text, first 32 words> — this is a
 *   deterministic mock completion.`
 * - Otherwise: `Mock reply to: <last user message text, first 32 words> — this is a deterministic mock
 *   completion.`
 *
 * Text replies are cut to `max_completion_tokens` / `max_tokens` words (`finish_reason: "length"`).
 */
export function planChatReply(request: MockChatRequest): ChatReply {
  const promptTokens = countPromptTokens(request.messages);
  const last = request.messages[request.messages.length - 1];
  const afterToolResult = last?.role === 'tool';

  if (request.tools.length > 0 && request.toolChoice !== 'none' && !afterToolResult) {
    const { toolChoice } = request;
    const forced = typeof toolChoice === 'object' ? toolChoice.name : undefined;
    const tool = request.tools.find((t) => t.name === forced) ?? request.tools[0]!;
    const args = mockToolArguments(tool);
    return {
      kind: 'tool_call',
      name: tool.name,
      arguments: args,
      finishReason: 'tool_calls',
      usage: { promptTokens, completionTokens: countToolCallTokens(tool.name, args) },
    };
  }

  let words: string[];
  if (afterToolResult) {
    words = ['Mock', 'reply', 'using', 'tool', 'result:', ...echoWords(messageText(last?.content))];
  } else {
    let userText = '';
    for (let i = request.messages.length - 1; i >= 0; i--) {
      const message = request.messages[i]!;
      if (message.role === 'user') {
        userText = messageText(message.content);
        break;
      }
    }
    words = ['Mock', 'reply', 'to:', ...echoWords(userText)];
  }
  words.push(...REPLY_TAIL);
  let finishReason: 'stop' | 'length' = 'stop';
  if (request.maxTokens !== undefined && words.length > request.maxTokens) {
    words = words.slice(0, request.maxTokens);
    finishReason = 'length';
  }
  const content = words.join(' ');
  return {
    kind: 'text',
    words,
    content,
    finishReason,
    usage: { promptTokens, completionTokens: countCompletionTokens(content) },
  };
}
