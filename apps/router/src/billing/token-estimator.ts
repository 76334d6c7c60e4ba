import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { sumPromptTexts } from './sum-prompt-texts';

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
 * use (≈100 ms idle, seconds on a loaded machine) and its ranks hold ~100 MB of heap, which roughly doubled
 * every young-generation GC pause of the router (measured ~5 → ~10 ms at 500 req/s). So the router never calls
 * this on its own thread: it runs in the token-count worker thread (`countTokensOffThread`).
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
 * counting recipe for chat models. Runs the BPE: the router counts the same texts off its thread instead
 * (`estimate-usage.ts`); this synchronous form is the reference its tests compare against.
 */
export function estimatePromptTokens(body: Record<string, unknown>): number {
  return sumPromptTexts(body, countTextTokens);
}
