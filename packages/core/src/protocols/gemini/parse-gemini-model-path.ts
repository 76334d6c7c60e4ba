/** The Gemini methods the gateway serves on `/v1beta/models/{model}:{method}`. */
export type GeminiMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'embedContent'
  /** What `@google/genai`'s `models.embedContent` calls on the Gemini API, even for one text. */
  | 'batchEmbedContents'
  | 'countTokens';

const METHODS: ReadonlySet<string> = new Set([
  'generateContent',
  'streamGenerateContent',
  'embedContent',
  'batchEmbedContents',
  'countTokens',
]);

export interface GeminiModelPath {
  /** The model as the caller named it (percent-decoded; may hold dots, dashes and slashes). */
  model: string;
  method: GeminiMethod;
}

/**
 * Reads `/v1beta/models/{model}:{method}` (also `/v1/…`; any query string ignored). The method follows the last
 * colon, so a model name may hold dots, dashes, underscores and slashes (`models/gemini-2.5-flash`,
 * `models/openai/gpt-4o`). Null for any other path, an unknown method, an empty or undecodable model, or one
 * with `..` (never a path a caller can climb out of).
 */
export function parseGeminiModelPath(path: string): GeminiModelPath | null {
  const query = path.indexOf('?');
  const bare = query === -1 ? path : path.slice(0, query);
  const match = /^\/v1(?:beta|alpha)?\/models\/(.+):([A-Za-z]+)$/.exec(bare);
  if (!match) return null;
  const [, rawModel, method] = match;
  if (rawModel === undefined || method === undefined || !METHODS.has(method)) return null;
  let model: string;
  try {
    model = decodeURIComponent(rawModel);
  } catch {
    return null;
  }
  if (model.length === 0 || model.includes('..') || model.includes(':') || /[\s?#]/.test(model)) return null;
  return { model, method: method as GeminiMethod };
}
