import { countEmbeddingInputTokens } from './count-tokens';
import { invalidRequest, type OpenAiErrorBody } from './openai-error';
import { describeType, MISSING_MODEL } from './parse-chat-request';
import { createSeededRandom, hashString } from './seeded-random';

/** Vector length when the request has no `dimensions`. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;
const MAX_DIMENSIONS = 4096;

/** The parts of an embeddings request the mock's answer depends on. */
export interface MockEmbeddingsRequest {
  model: string;
  inputs: Array<string | number[]>;
  dimensions: number;
  encodingFormat: 'float' | 'base64';
}

export type EmbeddingsRequestResult =
  | { ok: true; value: MockEmbeddingsRequest }
  | { ok: false; error: OpenAiErrorBody };

const isTokenArray = (value: unknown): value is number[] =>
  Array.isArray(value) && value.length > 0 && value.every((n) => Number.isInteger(n));

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INVALID_INPUT = invalidRequest(
  "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
  'input',
  'invalid_value',
);

/** Validates an embeddings body: `input` is a string, an array of strings, a token array or arrays of them. */
export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequestResult {
  if (!isObject(body)) {
    return {
      ok: false,
      error: invalidRequest(
        `Invalid type for 'body': expected an object, but got ${describeType(body)} instead.`,
      ),
    };
  }
  const { model, input, dimensions, encoding_format: format } = body;
  if (model == null) return { ok: false, error: MISSING_MODEL };
  if (typeof model !== 'string') {
    return {
      ok: false,
      error: invalidRequest(
        `Invalid type for 'model': expected a string, but got ${describeType(model)} instead.`,
        'model',
        'invalid_type',
      ),
    };
  }
  if (input === undefined) {
    return {
      ok: false,
      error: invalidRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter'),
    };
  }
  let inputs: Array<string | number[]>;
  if (typeof input === 'string') inputs = [input];
  else if (isTokenArray(input)) inputs = [input];
  else if (
    Array.isArray(input) &&
    input.length > 0 &&
    input.every((i) => typeof i === 'string' || isTokenArray(i))
  ) {
    inputs = input as Array<string | number[]>;
  } else return { ok: false, error: INVALID_INPUT };
  if (inputs.some((i) => i === '')) return { ok: false, error: INVALID_INPUT };
  if (
    dimensions != null &&
    !(Number.isInteger(dimensions) && (dimensions as number) >= 1 && (dimensions as number) <= MAX_DIMENSIONS)
  ) {
    return {
      ok: false,
      error: invalidRequest(
        `Invalid 'dimensions': expected an integer between 1 and ${MAX_DIMENSIONS}.`,
        'dimensions',
        'invalid_value',
      ),
    };
  }
  if (format != null && format !== 'float' && format !== 'base64') {
    return {
      ok: false,
      error: invalidRequest(
        "Invalid value for 'encoding_format': expected 'float' or 'base64'.",
        'encoding_format',
        'invalid_value',
      ),
    };
  }
  return {
    ok: true,
    value: {
      model,
      inputs,
      dimensions: (dimensions as number | null | undefined) ?? DEFAULT_EMBEDDING_DIMENSIONS,
      encodingFormat: format === 'base64' ? 'base64' : 'float',
    },
  };
}

/**
 * The mock vector of one input: `dimensions` values drawn from a generator seeded with the FNV-1a hash of
 * the input (a token array hashes as its JSON), scaled to unit length and rounded to float32 so the float
 * and base64 encodings carry the same numbers.
 */
export function mockEmbedding(
  input: string | readonly number[],
  dimensions = DEFAULT_EMBEDDING_DIMENSIONS,
): number[] {
  const random = createSeededRandom(hashString(typeof input === 'string' ? input : JSON.stringify(input)));
  const vector = new Array<number>(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const value = random() * 2 - 1;
    vector[i] = value;
    norm += value * value;
  }
  const scale = norm === 0 ? 0 : 1 / Math.sqrt(norm);
  for (let i = 0; i < dimensions; i++) vector[i] = Math.fround(vector[i]! * scale);
  return vector;
}

/** The `list` of `embedding` objects with usage (prompt tokens: see `countEmbeddingInputTokens`). */
export function buildEmbeddingsResponse(request: MockEmbeddingsRequest) {
  let tokens = 0;
  const data = request.inputs.map((input, index) => {
    tokens += countEmbeddingInputTokens(input);
    const vector = mockEmbedding(input, request.dimensions);
    const embedding =
      request.encodingFormat === 'base64'
        ? Buffer.from(Float32Array.from(vector).buffer).toString('base64')
        : vector;
    return { object: 'embedding', index, embedding };
  });
  return {
    object: 'list',
    data,
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}
