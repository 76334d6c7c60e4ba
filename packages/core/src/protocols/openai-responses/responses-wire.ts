/**
 * The parts of OpenAI's Responses wire format (`POST /v1/responses`) the gateway writes and reads, as the
 * `openai` SDK types them (`resources/responses`: `Response`, `ResponseOutputItem`, `ResponseUsage`,
 * `ResponseStreamEvent`). Only what the chat translation produces is typed: messages with text (or a refusal)
 * and function calls. Built-in tools, reasoning items and the rest never come out of a chat upstream.
 */

/** `output_text` content of an output message; `annotations` is always present, empty for chat upstreams. */
export interface ResponsesOutputText {
  type: 'output_text';
  text: string;
  annotations: unknown[];
}

export interface ResponsesOutputRefusal {
  type: 'refusal';
  refusal: string;
}

export type ResponsesItemStatus = 'in_progress' | 'completed' | 'incomplete';

/** An assistant message in `output` (id `msg_…`). */
export interface ResponsesOutputMessage {
  type: 'message';
  id: string;
  role: 'assistant';
  status: ResponsesItemStatus;
  content: (ResponsesOutputText | ResponsesOutputRefusal)[];
}

/** A function call in `output` (id `fc_…`); `call_id` is what the caller's `function_call_output` answers. */
export interface ResponsesFunctionCall {
  type: 'function_call';
  id: string;
  call_id: string;
  name: string;
  /** A JSON text, as the model wrote it. */
  arguments: string;
  status: ResponsesItemStatus;
}

export type ResponsesOutputItem = ResponsesOutputMessage | ResponsesFunctionCall;

/** Token usage; `input_tokens` includes the cached part, `output_tokens` the reasoning part. */
export interface ResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

export type ResponsesStatus = 'completed' | 'incomplete' | 'in_progress' | 'failed';

/** Why a response is `incomplete`: the output-token cap, or the upstream's content filter. */
export type ResponsesIncompleteReason = 'max_output_tokens' | 'content_filter';

/** The `Response` object (`object: 'response'`, id `resp_…`), non-streaming or inside a stream event. */
export interface ResponsesResponse {
  id: string;
  object: 'response';
  created_at: number;
  status: ResponsesStatus;
  /** Unix seconds; only when `status` is `completed`. */
  completed_at?: number | null;
  error: { code: string; message: string } | null;
  incomplete_details: { reason: ResponsesIncompleteReason } | null;
  model: string;
  output: ResponsesOutputItem[];
  usage: ResponsesUsage | null;
  /** The request's parameters, echoed as OpenAI does (see `responsesRequestEcho`). */
  [field: string]: unknown;
}
