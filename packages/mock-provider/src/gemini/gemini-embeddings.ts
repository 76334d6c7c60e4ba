import { DEFAULT_EMBEDDING_DIMENSIONS, mockEmbedding } from '../embeddings';
import { type GeminiErrorBody, geminiInvalidArgument } from './gemini-error';
import { geminiPartsText } from './parse-generate-content-request';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DIMENSIONS = 4096;

/** One `EmbedContentRequest` read: its text and vector length. */
export interface MockEmbedRequest {
  text: string;
  dimensions: number;
}

/** Validates one `EmbedContentRequest` (`{ content: { parts }, outputDimensionality? }`). */
export function parseEmbedRequest(
  body: unknown,
  field = 'EmbedContentRequest',
): { ok: true; value: MockEmbedRequest } | { ok: false; error: GeminiErrorBody } {
  if (!isObject(body)) return { ok: false, error: geminiInvalidArgument(`* ${field}: expected an object\n`) };
  const { content, outputDimensionality } = body;
  if (!isObject(content) || !Array.isArray(content.parts) || content.parts.length === 0) {
    return { ok: false, error: geminiInvalidArgument(`* ${field}.content: content is not specified\n`) };
  }
  if (
    outputDimensionality != null &&
    !(
      Number.isInteger(outputDimensionality) &&
      (outputDimensionality as number) >= 1 &&
      (outputDimensionality as number) <= MAX_DIMENSIONS
    )
  ) {
    return {
      ok: false,
      error: geminiInvalidArgument(
        `* ${field}.output_dimensionality: must be between 1 and ${MAX_DIMENSIONS}.\n`,
      ),
    };
  }
  return {
    ok: true,
    value: {
      text: geminiPartsText(content.parts),
      dimensions: (outputDimensionality as number | null | undefined) ?? DEFAULT_EMBEDDING_DIMENSIONS,
    },
  };
}

/** The `ContentEmbedding` of one request: the vector `/v1/embeddings` gives for that text, so families compare. */
export function geminiEmbedding(request: MockEmbedRequest) {
  return { values: mockEmbedding(request.text, request.dimensions) };
}
