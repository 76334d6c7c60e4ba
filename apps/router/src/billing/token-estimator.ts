import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

/** Tokens the chat format adds per message (role and separators) and once per reply, as OpenAI counts them. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_REPLY = 3;
/**
 * Past this many characters a text is not run through the BPE (its cost grows faster than linearly on long
 * runs without spaces): its UTF-8 byte length stands in, which no byte-level BPE can exceed.
 */
const MAX_ENCODED_CHARS = 200_000;

let encoder: Tiktoken | null = null;

/**
 * Counts tokens with OpenAI's o200k_base encoding, whose ranks ship inside the js-tiktoken package (nothing
 * is fetched). Used when an upstream reports no usage: the counts are an estimate for any model whose
 * tokenizer differs, and rows priced from them are flagged `costEstimated`.
 */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > MAX_ENCODED_CHARS) return Buffer.byteLength(text, 'utf8');
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

/** Builds the encoder now (≈100 ms) so the first request that needs it does not pay for it. */
export function warmTokenEstimator(): void {
  countTextTokens('warm');
}

/**
 * Estimated prompt tokens of an OpenAI chat request body: per message its text (string content, text
 * parts, name, tool-call names and arguments) plus 3, plus 3 for the reply's priming — OpenAI's own
 * counting recipe for chat models.
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = TOKENS_PER_REPLY;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE;
    if (typeof message !== 'object' || message === null) continue;
    const m = message as Record<string, unknown>;
    tokens += countTextTokens(contentText(m.content));
    if (typeof m.name === 'string') tokens += countTextTokens(m.name);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        if (typeof fn?.name === 'string') tokens += countTextTokens(fn.name);
        if (typeof fn?.arguments === 'string') tokens += countTextTokens(fn.arguments);
      }
    }
  }
  return tokens;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    const t = (part as { type?: unknown; text?: unknown } | null)?.text;
    if (typeof t === 'string') text += t;
  }
  return text;
}
