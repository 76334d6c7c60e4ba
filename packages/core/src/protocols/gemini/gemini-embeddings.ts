import { fail, gatewayError, ok, type Result } from '../../gateway-error';
import { geminiField, isGeminiObject } from './gemini-wire';

/**
 * OpenAI's embeddings request, as far as the Gemini translation reads it. (Named for this folder until core has a
 * canonical embeddings shape; the fields are OpenAI's.)
 */
export interface GeminiSideEmbeddingsRequest {
  model: string;
  input: string | string[];
  encoding_format?: 'float' | 'base64';
  dimensions?: number;
  user?: string;
  [field: string]: unknown;
}

/** OpenAI's embeddings response, as far as the Gemini translation writes and reads it. */
export interface GeminiSideEmbeddingsResponse {
  object: 'list';
  data: { object: 'embedding'; index: number; embedding: number[] | string }[];
  model: string;
  usage?: { prompt_tokens: number; total_tokens: number };
}

/** Gemini `embedContent` answer, and `batchEmbedContents` (what `@google/genai`'s `embedContent` calls). */
export type GeminiEmbedResponse =
  | { embedding: { values: number[] } }
  | { embeddings: { values: number[] }[] };

export type GeminiEmbedMethod = 'embedContent' | 'batchEmbedContents';

const invalid = (message: string, param: string) => fail(gatewayError('invalid_request', message, param));
const unsupported = (what: string, param: string) =>
  fail(gatewayError('unsupported_feature', `${what} cannot be translated for this model's provider.`, param));
const garbage = (what: string) =>
  fail(gatewayError('upstream_error', `The upstream sent an unreadable embeddings answer: ${what}.`));

interface EmbedItem {
  text: string;
  dimensions: number | undefined;
}

function readEmbedItem(value: unknown, param: string): Result<EmbedItem> {
  if (!isGeminiObject(value)) return invalid(`Invalid type for '${param}': expected an object.`, param);
  let text: string | null = null;
  let dimensions: number | undefined;
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || field === null) continue;
    const at = `${param}.${key}`;
    switch (key) {
      case 'content': {
        if (!isGeminiObject(field) || !Array.isArray(field.parts)) {
          return invalid(`Invalid type for '${at}': expected a content with parts.`, at);
        }
        const texts: string[] = [];
        for (let i = 0; i < field.parts.length; i++) {
          const part: unknown = field.parts[i];
          if (!isGeminiObject(part) || typeof part.text !== 'string') {
            return unsupported('Embedding non-text parts', `${at}.parts[${i}]`);
          }
          texts.push(part.text);
        }
        text = texts.join('\n');
        break;
      }
      case 'outputDimensionality':
      case 'output_dimensionality':
        if (typeof field !== 'number' || !Number.isSafeInteger(field) || field < 1) {
          return invalid(`Invalid '${at}': expected a positive integer.`, at);
        }
        dimensions = field;
        break;
      case 'taskType':
      case 'task_type':
        // A retrieval hint Gemini tunes the vector with; other providers embed the same text the one way they know.
        break;
      case 'model':
        break;
      default:
        return unsupported(`The embedding field '${key}'`, at);
    }
  }
  if (text === null) return invalid(`Missing required parameter: '${param}.content'.`, `${param}.content`);
  return ok({ text, dimensions });
}

/**
 * Surface side: a Gemini `embedContent` (`{content:{parts:[{text}]}}`) or `batchEmbedContents`
 * (`{requests:[…]}`) body as an OpenAI embeddings request (`input` a string, or one string per request; parts of
 * one content joined by newlines). `outputDimensionality` becomes `dimensions` (one value for the whole batch);
 * `taskType` is a Gemini tuning hint with no counterpart and is let go; `title` and non-text parts are refused.
 */
export function geminiEmbedToEmbeddingsRequest(
  body: unknown,
  target: { model: string; method: GeminiEmbedMethod },
): Result<GeminiSideEmbeddingsRequest> {
  if (!isGeminiObject(body)) return invalid('The request body must be a JSON object.', 'body');
  if (target.method === 'embedContent') {
    const item = readEmbedItem(body, 'body');
    if (!item.ok) return item;
    const request: GeminiSideEmbeddingsRequest = { model: target.model, input: item.value.text };
    if (item.value.dimensions !== undefined) request.dimensions = item.value.dimensions;
    return ok(request);
  }
  for (const key of Object.keys(body)) {
    if (key !== 'requests') return unsupported(`The batch field '${key}'`, key);
  }
  const requests = body.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    return invalid("Invalid 'requests': expected a non-empty array.", 'requests');
  }
  const input: string[] = [];
  let dimensions: number | undefined;
  for (let i = 0; i < requests.length; i++) {
    const item = readEmbedItem(requests[i], `requests[${i}]`);
    if (!item.ok) return item;
    if (i > 0 && item.value.dimensions !== dimensions) {
      return unsupported(
        'Different output dimensions within one batch',
        `requests[${i}].outputDimensionality`,
      );
    }
    dimensions = item.value.dimensions;
    input.push(item.value.text);
  }
  const request: GeminiSideEmbeddingsRequest = { model: target.model, input };
  if (dimensions !== undefined) request.dimensions = dimensions;
  return ok(request);
}

/** Little-endian float32 vector from OpenAI's base64 form, or null if it is not one. */
function base64ToFloats(text: string): number[] | null {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  if (binary.length % 4 !== 0) return null;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return Array.from(new Float32Array(bytes.buffer));
}

/** A vector in OpenAI's base64 form: little-endian float32, as the `openai` SDKs decode it. */
export function floatsToBase64(values: readonly number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function readVector(value: unknown): number[] | null {
  if (typeof value === 'string') return base64ToFloats(value);
  if (!Array.isArray(value)) return null;
  return value.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (value as number[]) : null;
}

/**
 * Surface side: an OpenAI embeddings answer (from any upstream) as Gemini's: `{embedding:{values}}` for
 * `embedContent`, `{embeddings:[{values}]}` in input order for `batchEmbedContents`. Base64 vectors are decoded.
 */
export function embeddingsResponseToGemini(
  resp: unknown,
  method: GeminiEmbedMethod,
): Result<GeminiEmbedResponse> {
  if (!isGeminiObject(resp) || !Array.isArray(resp.data)) return garbage('no data array');
  const vectors: { index: number; values: number[] }[] = [];
  for (let i = 0; i < resp.data.length; i++) {
    const item: unknown = resp.data[i];
    if (!isGeminiObject(item)) return garbage('an item is not an object');
    const values = readVector(item.embedding);
    if (values === null) return garbage('an embedding is not a vector');
    const index = typeof item.index === 'number' && Number.isSafeInteger(item.index) ? item.index : i;
    vectors.push({ index, values });
  }
  vectors.sort((a, b) => a.index - b.index);
  if (method === 'embedContent') {
    const [first] = vectors;
    if (!first || vectors.length !== 1) return garbage('expected exactly one embedding');
    return ok({ embedding: { values: first.values } });
  }
  return ok({ embeddings: vectors.map(({ values }) => ({ values })) });
}

/**
 * Adapter side: an OpenAI embeddings request as a Gemini call: one string → `embedContent`, a list →
 * `batchEmbedContents` (one request per string). `dimensions` becomes `outputDimensionality`; token-id inputs
 * cannot be sent to Gemini and are refused.
 */
export function embeddingsRequestToGemini(
  req: unknown,
  upstreamModel: string,
): Result<{ body: object; method: GeminiEmbedMethod; path: string }> {
  if (!isGeminiObject(req)) return invalid('The request body must be a JSON object.', 'body');
  for (const [key, value] of Object.entries(req)) {
    if (value === undefined || value === null) continue;
    if (!['model', 'input', 'encoding_format', 'dimensions', 'user'].includes(key)) {
      return unsupported(`The embeddings field '${key}'`, key);
    }
  }
  const format = req.encoding_format;
  if (format !== undefined && format !== null && format !== 'float' && format !== 'base64') {
    return invalid("Invalid value for 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  }
  const dimensions = req.dimensions;
  if (
    dimensions !== undefined &&
    dimensions !== null &&
    (typeof dimensions !== 'number' || !Number.isSafeInteger(dimensions) || dimensions < 1)
  ) {
    return invalid("Invalid 'dimensions': expected a positive integer.", 'dimensions');
  }
  const model = /^(models|tunedModels)\//.test(upstreamModel) ? upstreamModel : `models/${upstreamModel}`;
  const item = (text: string) => {
    const entry: Record<string, unknown> = { model, content: { parts: [{ text }] } };
    if (typeof dimensions === 'number') entry.outputDimensionality = dimensions;
    return entry;
  };
  const input = req.input;
  if (typeof input === 'string') {
    const { model: _model, ...body } = item(input);
    return ok({ body, method: 'embedContent', path: `/v1beta/${model}:embedContent` });
  }
  if (!Array.isArray(input) || input.length === 0) {
    return invalid("Invalid 'input': expected a string or a non-empty array of strings.", 'input');
  }
  if (!input.every((x) => typeof x === 'string')) {
    return input.every((x) => typeof x === 'number' || Array.isArray(x))
      ? unsupported('Token-id input', 'input')
      : invalid("Invalid 'input': expected a string or a non-empty array of strings.", 'input');
  }
  return ok({
    body: { requests: (input as string[]).map(item) },
    method: 'batchEmbedContents',
    path: `/v1beta/${model}:batchEmbedContents`,
  });
}

/**
 * Adapter side: a Gemini `embedContent`/`batchEmbedContents` answer as OpenAI's, vectors in base64 when the
 * caller asked for it (`openai` SDKs do by default). Usage comes from `usageMetadata.promptTokenCount` when Gemini
 * sends it; otherwise it is left out and settlement estimates.
 */
export function geminiEmbedResponseToEmbeddings(
  body: unknown,
  context: { model: string; encodingFormat?: 'float' | 'base64' },
): Result<GeminiSideEmbeddingsResponse> {
  if (!isGeminiObject(body)) return garbage('not a JSON object');
  let list: unknown[];
  const single = body.embedding;
  if (single !== undefined) list = [single];
  else if (Array.isArray(body.embeddings)) list = body.embeddings;
  else return garbage('no embedding');
  const data: GeminiSideEmbeddingsResponse['data'] = [];
  for (let i = 0; i < list.length; i++) {
    const item: unknown = list[i];
    // Gemini always sends numbers; only OpenAI has a base64 form.
    const raw = isGeminiObject(item) ? item.values : null;
    const values = Array.isArray(raw) ? readVector(raw) : null;
    if (values === null) return garbage('an embedding has no values');
    data.push({
      object: 'embedding',
      index: i,
      embedding: context.encodingFormat === 'base64' ? floatsToBase64(values) : values,
    });
  }
  const response: GeminiSideEmbeddingsResponse = { object: 'list', data, model: context.model };
  const usage = geminiField(body, 'usageMetadata');
  const prompt = isGeminiObject(usage) ? geminiField(usage, 'promptTokenCount') : undefined;
  if (typeof prompt === 'number' && Number.isSafeInteger(prompt) && prompt >= 0) {
    response.usage = { prompt_tokens: prompt, total_tokens: prompt };
  }
  return ok(response);
}
