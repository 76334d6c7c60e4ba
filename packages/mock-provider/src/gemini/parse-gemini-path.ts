/** The Gemini REST methods the mock serves on `/v1beta/models/{model}:{method}`. */
export type GeminiMethod =
  | 'generateContent'
  | 'streamGenerateContent'
  | 'embedContent'
  | 'batchEmbedContents'
  | 'countTokens';

const METHODS: ReadonlySet<string> = new Set([
  'generateContent',
  'streamGenerateContent',
  'embedContent',
  'batchEmbedContents',
  'countTokens',
]);

const PREFIXES = ['/v1beta/models/', '/v1/models/'];

/**
 * Splits `/v1beta/models/{model}:{method}` (also `/v1/…`) into the model and a known method; `undefined`
 * when the path is not of that form. The model may be URL-encoded.
 */
export function parseGeminiPath(
  path: string,
): { model: string; method: GeminiMethod | undefined } | undefined {
  const prefix = PREFIXES.find((p) => path.startsWith(p));
  if (prefix === undefined) return undefined;
  const rest = path.slice(prefix.length);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) return undefined;
  let model = rest.slice(0, colon);
  try {
    model = decodeURIComponent(model);
  } catch {
    // keep it as sent
  }
  const method = rest.slice(colon + 1);
  return { model, method: METHODS.has(method) ? (method as GeminiMethod) : undefined };
}
