/**
 * The canonical chat shape every chat translation goes through: OpenAI's Chat Completions wire format (request,
 * response and stream chunk), the lingua franca of the field and what the hot path already speaks. Only the
 * fields the gateway translates are typed; unknown fields ride along in the index signature and are dropped (or
 * refused with `unsupported_feature`) only when crossing to another protocol.
 *
 * Translators are pure functions in `protocols/<protocol>/` (core): surface side `<protocol>ToChatRequest`,
 * `chatResponseTo<Protocol>`, a `ChatTo<Protocol>Stream` encoder; adapter side `chatRequestTo<Protocol>`,
 * `<protocol>ResponseToChat`, a `<Protocol>ToChatStream` decoder.
 */

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool';

export interface ChatTextPart {
  type: 'text';
  text: string;
}

export interface ChatImagePart {
  type: 'image_url';
  /** An https URL or a `data:<media type>;base64,<data>` URL. */
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' };
}

export type ChatContentPart = ChatTextPart | ChatImagePart;

export interface ChatToolCall {
  id: string;
  type: 'function';
  /** `arguments` is a JSON text, as OpenAI sends it. */
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ChatContentPart[] | null;
  name?: string;
  /** assistant messages only */
  tool_calls?: ChatToolCall[];
  /** tool messages only */
  tool_call_id?: string;
  [field: string]: unknown;
}

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown>; strict?: boolean };
}

export type ChatToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

/** A chat completions request body. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  max_tokens?: number;
  max_completion_tokens?: number;
  temperature?: number;
  top_p?: number;
  stop?: string | string[];
  n?: number;
  tools?: ChatTool[];
  tool_choice?: ChatToolChoice;
  parallel_tool_calls?: boolean;
  response_format?: { type: 'text' | 'json_object' | 'json_schema'; json_schema?: Record<string, unknown> };
  user?: string;
  [field: string]: unknown;
}

export type ChatFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'function_call';

/** OpenAI's usage object; the `*_details` parts are optional. */
export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number; [field: string]: unknown };
  completion_tokens_details?: { reasoning_tokens?: number; [field: string]: unknown };
  /**
   * Tokens written to the prompt cache (Anthropic's `cache_creation_input_tokens`), carried so cache writes are
   * priced the same for every family. Not an OpenAI field: a surface that speaks OpenAI leaves it out.
   */
  cache_write_tokens?: number;
}

/** A non-streaming chat completion. */
export interface ChatResponseBody {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: {
    index: number;
    message: {
      role: 'assistant';
      content: string | null;
      refusal?: string | null;
      tool_calls?: ChatToolCall[];
    };
    finish_reason: ChatFinishReason | null;
    logprobs?: unknown;
  }[];
  usage?: ChatUsage;
  [field: string]: unknown;
}

/** One tool-call fragment in a stream delta: the first names the call (id, name), later ones add arguments. */
export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** One streamed chunk (`data:` payload of an SSE event; the stream ends with `data: [DONE]`). */
export interface ChatChunkBody {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: {
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      refusal?: string | null;
      tool_calls?: ChatToolCallDelta[];
    };
    finish_reason: ChatFinishReason | null;
  }[];
  /** Present (and the choices empty) on the final usage chunk. */
  usage?: ChatUsage | null;
  [field: string]: unknown;
}

/**
 * One SSE event as a translator emits it: `event` is the `event:` line (Anthropic names its events; OpenAI and
 * Gemini send data only), `data` the payload text.
 */
export interface SseFrame {
  event?: string;
  data: string;
}

/** Writes frames as SSE text. */
export function formatSseFrames(frames: readonly SseFrame[]): string {
  let text = '';
  for (const frame of frames) {
    if (frame.event !== undefined) text += `event: ${frame.event}\n`;
    text += `data: ${frame.data}\n\n`;
  }
  return text;
}
