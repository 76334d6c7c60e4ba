import { countWords, TOKENS_PER_MESSAGE } from '../count-tokens';
import type { MockTool, ReplyInput } from '../plan-reply';
import { type AnthropicErrorBody, anthropicInvalidRequest } from './anthropic-error';

/** The part of a prompt a `cache_control` marker closes: its tokens and what identifies it. */
export interface CachePrefix {
  tokens: number;
  /** The prefix's JSON (model, system, tools and messages up to the marker), as the cache key. */
  key: string;
  /** `ttl` of the closing marker. */
  ttl: '5m' | '1h';
}

/** The parts of an Anthropic Messages request the mock's answer depends on. Unknown fields are ignored. */
export interface MockMessagesRequest {
  model: string;
  stream: boolean;
  /** Input tokens of the whole prompt: see `countAnthropicInputTokens`. */
  inputTokens: number;
  /** The cached prefix when a `cache_control` marker is present (on the request, the system or a block). */
  cachePrefix: CachePrefix | undefined;
  reply: ReplyInput;
}

export type MessagesRequestResult =
  | { ok: true; value: MockMessagesRequest }
  | { ok: false; error: AnthropicErrorBody };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const fail = (message: string): { ok: false; error: AnthropicErrorBody } => ({
  ok: false,
  error: anthropicInvalidRequest(message),
});

/**
 * The text of an Anthropic `content` (or `system`): a string as is; for blocks, the `text` of text blocks
 * and the text of `tool_result` contents, joined by spaces. Images, documents and `tool_use` count nothing.
 */
export function anthropicContentText(content: unknown, insideToolResult = false): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const block of content) {
    if (!isObject(block)) continue;
    if (typeof block.text === 'string') texts.push(block.text);
    // One level only: a tool result holds text blocks, and a caller's nesting must not recurse without end.
    else if (block.type === 'tool_result' && !insideToolResult) {
      const inner = anthropicContentText(block.content, true);
      if (inner !== '') texts.push(inner);
    }
  }
  return texts.join(' ');
}

function hasCacheControl(content: unknown): '5m' | '1h' | undefined {
  if (!Array.isArray(content)) return undefined;
  let ttl: '5m' | '1h' | undefined;
  for (const block of content) {
    if (isObject(block) && isObject(block.cache_control))
      ttl = block.cache_control.ttl === '1h' ? '1h' : '5m';
  }
  return ttl;
}

function toolResultText(content: unknown): string | undefined {
  if (!Array.isArray(content)) return undefined;
  const results = content.filter((block) => isObject(block) && block.type === 'tool_result');
  return results.length === 0 ? undefined : anthropicContentText(results);
}

/**
 * Input tokens, the chat rule applied to Anthropic's shape: `system` counts as one message (3 + its words)
 * when present, then every message 3 + the words of `anthropicContentText`. Tools count nothing.
 */
export function countAnthropicInputTokens(
  system: unknown,
  messages: ReadonlyArray<{ content?: unknown }>,
): number {
  let tokens = system == null ? 0 : TOKENS_PER_MESSAGE + countWords(anthropicContentText(system));
  for (const message of messages)
    tokens += TOKENS_PER_MESSAGE + countWords(anthropicContentText(message.content));
  return tokens;
}

function parseTools(tools: unknown): MockTool[] | { ok: false; error: AnthropicErrorBody } {
  if (tools == null) return [];
  if (!Array.isArray(tools)) return fail('tools: Input should be a valid list');
  const parsed: MockTool[] = [];
  for (let i = 0; i < tools.length; i++) {
    const tool: unknown = tools[i];
    if (!isObject(tool)) return fail(`tools.${i}: Input should be a valid dictionary`);
    // Server tools (`web_search_…`, `bash_…`) are run by Anthropic, not called by the model's answer.
    if (tool.type !== undefined && tool.type !== 'custom') continue;
    if (typeof tool.name !== 'string' || tool.name.length === 0)
      return fail(`tools.${i}.name: Field required`);
    if (!isObject(tool.input_schema)) return fail(`tools.${i}.input_schema: Field required`);
    parsed.push({ name: tool.name, parameters: tool.input_schema });
  }
  return parsed;
}

type ToolChoice = Pick<ReplyInput, 'toolChoice' | 'parallelToolCalls'>;

function parseToolChoice(
  choice: unknown,
  tools: MockTool[],
): ToolChoice | { ok: false; error: AnthropicErrorBody } {
  if (choice == null) return { toolChoice: 'auto', parallelToolCalls: true };
  if (!isObject(choice)) return fail('tool_choice: Input should be a valid dictionary');
  const parallelToolCalls = choice.disable_parallel_tool_use !== true;
  switch (choice.type) {
    case 'auto':
      return { toolChoice: 'auto', parallelToolCalls };
    case 'any':
      return { toolChoice: 'required', parallelToolCalls };
    case 'none':
      return { toolChoice: 'none', parallelToolCalls };
    case 'tool': {
      if (typeof choice.name !== 'string') return fail('tool_choice.tool.name: Field required');
      const name = choice.name;
      if (!tools.some((tool) => tool.name === name)) {
        return fail(`tool_choice.name: Tool '${name}' not found in provided tools`);
      }
      return { toolChoice: { name }, parallelToolCalls };
    }
    default:
      return fail(
        "tool_choice.type: Input tag does not match any of the expected tags: 'auto', 'any', 'tool', 'none'",
      );
  }
}

/** The cached prefix: up to the last `cache_control` marker, or the whole prompt with a top-level one. */
function cachePrefixOf(
  body: Record<string, unknown>,
  messages: Record<string, unknown>[],
): CachePrefix | undefined {
  let end = -1; // -1: none; 0: the system; i + 1: messages[i]
  let ttl: '5m' | '1h' = '5m';
  if (isObject(body.cache_control)) {
    end = messages.length;
    ttl = body.cache_control.ttl === '1h' ? '1h' : '5m';
  } else {
    const systemTtl = hasCacheControl(body.system);
    if (systemTtl !== undefined) {
      end = 0;
      ttl = systemTtl;
    }
    for (let i = 0; i < messages.length; i++) {
      const messageTtl = hasCacheControl(messages[i]!.content);
      if (messageTtl !== undefined) {
        end = i + 1;
        ttl = messageTtl;
      }
    }
  }
  if (end === -1) return undefined;
  const prefix = messages.slice(0, end);
  return {
    tokens: countAnthropicInputTokens(body.system, prefix),
    key: JSON.stringify([body.model, body.system ?? null, body.tools ?? null, prefix]),
    ttl,
  };
}

/**
 * Validates a Messages (or `count_tokens`, with `forCount`) body the way Anthropic does, naming the field
 * (`max_tokens: Field required`), and reads what the reply depends on.
 */
export function parseMessagesRequest(body: unknown, forCount = false): MessagesRequestResult {
  if (!isObject(body)) return fail('Input should be a valid dictionary');
  const { model, messages, max_tokens: maxTokens, stream, system } = body;
  if (model === undefined) return fail('model: Field required');
  if (typeof model !== 'string') return fail('model: Input should be a valid string');
  if (messages === undefined) return fail('messages: Field required');
  if (!Array.isArray(messages)) return fail('messages: Input should be a valid list');
  if (messages.length === 0) return fail('messages: at least one message is required');
  if (!forCount) {
    if (maxTokens === undefined) return fail('max_tokens: Field required');
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens)) {
      return fail('max_tokens: Input should be a valid integer');
    }
    if (maxTokens < 1) return fail('max_tokens: Input should be greater than or equal to 1');
  }
  if (stream != null && typeof stream !== 'boolean') return fail('stream: Input should be a valid boolean');
  if (system != null && typeof system !== 'string' && !Array.isArray(system)) {
    return fail('system: Input should be a valid string');
  }
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) return fail(`messages.${i}: Input should be a valid dictionary`);
    if (message.role !== 'user' && message.role !== 'assistant') {
      return fail(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (message.content === undefined) return fail(`messages.${i}.content: Field required`);
    if (typeof message.content !== 'string' && !Array.isArray(message.content)) {
      return fail(`messages.${i}.content: Input should be a valid list`);
    }
  }
  const tools = parseTools(body.tools);
  if (!Array.isArray(tools)) return tools;
  const choice = parseToolChoice(body.tool_choice, tools);
  if ('ok' in choice) return choice;

  const typed = messages as Record<string, unknown>[];
  const last = typed[typed.length - 1]!;
  let lastUserText = '';
  for (let i = typed.length - 1; i >= 0; i--) {
    const message = typed[i]!;
    if (message.role === 'user') {
      const content = message.content;
      lastUserText = Array.isArray(content)
        ? anthropicContentText(content.filter((block) => isObject(block) && block.type === 'text'))
        : anthropicContentText(content);
      break;
    }
  }
  const inputTokens = countAnthropicInputTokens(system, typed);
  return {
    ok: true,
    value: {
      model,
      stream: stream === true,
      inputTokens,
      cachePrefix: cachePrefixOf(body, typed),
      reply: {
        promptTokens: inputTokens,
        lastUserText,
        toolResultText: last.role === 'user' ? toolResultText(last.content) : undefined,
        tools,
        toolChoice: choice.toolChoice,
        parallelToolCalls: choice.parallelToolCalls,
        maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
        format: { type: 'text' },
      },
    },
  };
}
