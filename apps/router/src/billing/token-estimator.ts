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
 * tokenizer differs, and rows priced from them are flagged `costEstimated`. The encoder is built on first
 * use (≈100 ms) and never on the request path of a reply that carries usage: its ranks hold ~100 MB of heap,
 * which roughly doubled every young-generation GC pause of the router (measured ~5 → ~10 ms at 500 req/s).
 */
export function countTextTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length > MAX_ENCODED_CHARS) return Buffer.byteLength(text, 'utf8');
  encoder ??= new Tiktoken(o200kBase);
  return encoder.encode(text).length;
}

/**
 * Estimated prompt tokens of an OpenAI chat request body: per message its text (string content, text
 * parts, name, tool-call names and arguments) plus 3, plus 3 for the reply's priming — OpenAI's own
 * counting recipe for chat models. Runs the BPE: for usage an upstream did not report, never per request.
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  return sumPromptTexts(body, countTextTokens);
}

/**
 * The rate-limit estimate: one token per 4 characters (rounded up), as OpenAI's own rate limiter counts a
 * prompt before it is tokenized. TPM reservations use it and are corrected to the reported usage afterwards.
 */
export function promptTokenRateEstimate(body: Record<string, unknown>): number {
  return sumPromptTexts(body, (text) => Math.ceil(text.length / 4));
}

/** `count` over every text of the request's messages, plus OpenAI's per-message and per-reply overhead. */
function sumPromptTexts(body: Record<string, unknown>, count: (text: string) => number): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = TOKENS_PER_REPLY;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE;
    if (typeof message !== 'object' || message === null) continue;
    const m = message as Record<string, unknown>;
    const content = contentText(m.content);
    if (content.length > 0) tokens += count(content);
    if (typeof m.name === 'string' && m.name.length > 0) tokens += count(m.name);
    if (Array.isArray(m.tool_calls)) {
      for (const call of m.tool_calls) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } } | null)?.function;
        if (typeof fn?.name === 'string' && fn.name.length > 0) tokens += count(fn.name);
        if (typeof fn?.arguments === 'string' && fn.arguments.length > 0) tokens += count(fn.arguments);
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
