/**
 * Tokens added per image part a message carries. An image is billed by its resolution, not by the bytes of
 * its URL: OpenAI's gpt-4o counts at most 2 125 (12 tiles × 170 + 85), gpt-4.1-mini about 2 490, o-series
 * under 2 000, Claude about 1 600 (1.15 MP / 750), Gemini 258 a tile. (gpt-4o-mini counts images ~33× but
 * prices its tokens to match gpt-4o, which a hard budget on it should allow for; see docs/billing.md.)
 */
export const IMAGE_PART_TOKENS = 2_500;

/**
 * Tokens added once when a request offers tools: some providers put a tool-use system prompt of their own
 * in front of the schemas (Anthropic documents 313-346 tokens) that is billed but not in the body.
 */
export const TOOL_USE_PROMPT_TOKENS = 512;

const IMAGE_PART_TYPES: ReadonlySet<unknown> = new Set(['image_url', 'input_image', 'image']);

/**
 * An upper bound on the prompt tokens an upstream can bill for a chat request, from the size of its
 * serialised body: every prompt-bearing text (messages and their content parts of any kind, names, tool
 * calls, tool and function schemas, response_format JSON schemas, and any field added later) is a JSON string
 * in it, whose bytes are at least its UTF-8 bytes (escapes only lengthen), and no byte-level tokenizer
 * (OpenAI's, Anthropic's, Google's, …) makes more than one token of a byte. The chat template's own tokens
 * (3 a message and 3 for the reply) are fewer than the JSON punctuation each message already brings.
 *
 * What is billed but not in the body is added: {@link IMAGE_PART_TOKENS} per image part and
 * {@link TOOL_USE_PROMPT_TOKENS} once with tools. Files referenced by id are not bounded (their size is
 * unknown before the upstream reads them).
 *
 * It costs a walk over the message parts' `type` fields, never a tokenizer run: tokenizing a 44 KB body takes
 * milliseconds and the encoder ~100 MB of heap, while typical text is 3-4 bytes a token, so the byte bound
 * over-holds a fraction of a cent on ordinary requests and never under-holds.
 *
 * @param serialisedBytes the byte length of the request body as received (or as it will be sent).
 */
export function promptTokenUpperBound(serialisedBytes: number, body: Record<string, unknown>): number {
  let tokens = serialisedBytes;
  if (nonEmptyArray(body.tools) || nonEmptyArray(body.functions)) tokens += TOOL_USE_PROMPT_TOKENS;
  const messages = body.messages;
  if (!Array.isArray(messages)) return tokens;
  for (const message of messages) {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) continue;
    for (const part of content) {
      if (IMAGE_PART_TYPES.has((part as { type?: unknown } | null)?.type)) tokens += IMAGE_PART_TOKENS;
    }
  }
  return tokens;
}

function nonEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}
