import { ApiError, GoogleGenAI } from '@google/genai';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseUpstreamError } from '../../normalise-upstream-error';
import apiKeyInvalid from './fixtures/error-api-key-invalid.json';
import { geminiErrorBody, readGeminiError } from './gemini-error-body';

describe('geminiErrorBody', () => {
  it("writes Google's error JSON, request id in the message and in an ErrorInfo detail", async () => {
    const text = geminiErrorBody(
      404,
      {
        message: "The model 'nope' does not exist.",
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
      },
      'req_123',
    );
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 404,
        message: "The model 'nope' does not exist. (request id: req_123)",
        status: 'NOT_FOUND',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'model_not_found',
            domain: 'switchyard',
            metadata: { request_id: 'req_123', type: 'invalid_request_error', param: 'model' },
          },
        ],
      },
    });
    const ai = new GoogleGenAI({
      apiKey: 'test-key',
      httpOptions: {
        baseUrl: 'http://gateway.test',
        fetch: async () =>
          new Response(text, { status: 404, headers: { 'content-type': 'application/json' } }),
      },
    });
    const error = await ai.models.generateContent({ model: 'nope', contents: 'hi' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    expect((error as ApiError).message).toContain('req_123');
  });

  it.each([
    [400, 'INVALID_ARGUMENT'],
    [401, 'UNAUTHENTICATED'],
    [403, 'PERMISSION_DENIED'],
    [429, 'RESOURCE_EXHAUSTED'],
    [500, 'INTERNAL'],
    [503, 'UNAVAILABLE'],
    [504, 'DEADLINE_EXCEEDED'],
  ])('pairs HTTP %i with %s', (status, name) => {
    expect(
      JSON.parse(geminiErrorBody(status, { message: 'm', type: 't', code: null, param: null }, 'r')).error
        .status,
    ).toBe(name);
  });
});

describe('readGeminiError', () => {
  it('reads a recorded error: message, status as type, ErrorInfo reason as code', () => {
    expect(readGeminiError(JSON.stringify(apiKeyInvalid))).toEqual({
      message: 'API key not valid. Please pass a valid API key.',
      type: 'invalid_argument',
      code: 'API_KEY_INVALID',
      param: null,
    });
  });

  it('reads a field violation as param, and the array form streams use', () => {
    const body = [
      {
        error: {
          code: 400,
          message: 'Invalid value at generation_config.temperature',
          status: 'INVALID_ARGUMENT',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.BadRequest',
              fieldViolations: [{ field: 'generation_config.temperature', description: 'bad' }],
            },
          ],
        },
      },
    ];
    expect(readGeminiError(JSON.stringify(body))).toEqual({
      message: 'Invalid value at generation_config.temperature',
      type: 'invalid_argument',
      code: 'INVALID_ARGUMENT',
      param: 'generation_config.temperature',
    });
  });

  it('is null for what is not an error body; normalisable otherwise', () => {
    expect(readGeminiError('<html>502</html>')).toBeNull();
    expect(readGeminiError('{"candidates":[]}')).toBeNull();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.jsonValue().map((v) => JSON.stringify({ error: v })),
        ),
        (text) => {
          const fields = readGeminiError(text);
          if (fields === null) return;
          expect(fields.message === null || typeof fields.message === 'string').toBe(true);
          const shown = normaliseUpstreamError(fields, ['secret']);
          expect(shown.type === null || /^[a-z]/.test(shown.type)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
