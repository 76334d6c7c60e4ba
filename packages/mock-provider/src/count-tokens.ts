/**
 * The mock's token arithmetic. It is not a real tokenizer: it is a rule simple enough that a test can
 * compute the exact figures by hand.
 *
 * - a "word" is a maximal run of non-whitespace characters (JavaScript's `\s` set);
 * - prompt tokens = for every message, 3 + the words of its text content;
 * - completion tokens = the words of the reply text, or for a tool call the words of the function name
 *   plus the words of the arguments JSON (the mock emits it without spaces, so that is 1 + 1 = 2).
 */

/** Per-message overhead added to the prompt count, like the real chat format's role/separator tokens. */
export const TOKENS_PER_MESSAGE = 3;

function isWhitespace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
    code === 160 ||
    code === 5760 ||
    (code >= 8192 && code <= 8202) ||
    code === 8232 ||
    code === 8233 ||
    code === 8239 ||
    code === 8287 ||
    code === 12288 ||
    code === 65279
  );
}

/** Number of whitespace-separated words in `text`. */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    if (isWhitespace(text.charCodeAt(i))) inWord = false;
    else if (!inWord) {
      inWord = true;
      words++;
    }
  }
  return words;
}

/**
 * The text of a message's `content`: a string as is; for an array of parts, the `text` of every part
 * that has one, joined with a space; anything else (null, images only) is empty.
 */
export function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'object' && part !== null && typeof (part as { text?: unknown }).text === 'string') {
      text =
        text.length === 0 ? (part as { text: string }).text : `${text} ${(part as { text: string }).text}`;
    }
  }
  return text;
}

/** Prompt tokens of a chat request: 3 per message plus the words of every message's text content. */
export function countPromptTokens(messages: ReadonlyArray<{ content?: unknown }>): number {
  let tokens = 0;
  for (const message of messages) tokens += TOKENS_PER_MESSAGE + countWords(messageText(message.content));
  return tokens;
}

/** Completion tokens of a text reply: its words. */
export function countCompletionTokens(text: string): number {
  return countWords(text);
}

/** Completion tokens of a tool-call reply: words of the function name plus words of the arguments JSON. */
export function countToolCallTokens(name: string, args: string): number {
  return countWords(name) + countWords(args);
}

/** Tokens of one embeddings input: words of a string, or the length of a token-id array. */
export function countEmbeddingInputTokens(input: string | readonly number[]): number {
  return typeof input === 'string' ? countWords(input) : input.length;
}
