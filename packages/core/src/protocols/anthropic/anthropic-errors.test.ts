import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicErrorBody } from './anthropic-error-body';
import overloaded from './fixtures/error-overloaded.json';
import { readAnthropicError } from './read-anthropic-error';

describe('readAnthropicError', () => {
  it("reads Anthropic's error body, with the detail's error_code", () => {
    expect(readAnthropicError(JSON.stringify(overloaded))).toEqual({
      message: 'Overloaded',
      type: 'overloaded_error',
      code: null,
      param: null,
    });
    expect(
      readAnthropicError(
        '{"type":"error","error":{"type":"rate_limit_error","message":"Slow down","details":{"error_code":"ramp_limit_exceeded"}}}',
      ),
    ).toEqual({ message: 'Slow down', type: 'rate_limit_error', code: 'ramp_limit_exceeded', param: null });
  });

  it('null for anything that is not an error body; never throws', () => {
    for (const body of ['<html>502</html>', '', 'null', '[1]', '{"error":"x"}', '{"error":{"message":7}}']) {
      expect(readAnthropicError(body)).toBeNull();
    }
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (body) => {
          const fields = readAnthropicError(body);
          expect(fields === null || typeof fields === 'object').toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('anthropicErrorBody', () => {
  it("writes Anthropic's error shape with the request id; the SDK raises the right class with the code", async () => {
    const body = anthropicErrorBody(
      400,
      {
        message: '`n` > 1 cannot be served',
        type: 'invalid_request_error',
        code: 'unsupported_feature',
        param: 'n',
      },
      'req_abc',
    );
    expect(JSON.parse(body)).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: '`n` > 1 cannot be served',
        details: { error_code: 'unsupported_feature', param: 'n' },
      },
      request_id: 'req_abc',
    });
    const client = new Anthropic({
      apiKey: 'sk-ant-test-not-a-key',
      baseURL: 'http://gateway.invalid',
      maxRetries: 0,
      fetch: async () => new Response(body, { status: 400, headers: { 'content-type': 'application/json' } }),
    });
    const error = await client.messages
      .create({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      errorCode: 'unsupported_feature',
    });
    expect(String((error as Error).message)).toContain('req_abc');
  });

  it('derives the Anthropic type from the status when the given one is not Anthropic', () => {
    const type = (status: number, given?: string) =>
      JSON.parse(anthropicErrorBody(status, { message: 'm', type: given ?? null }, 'r')).error.type;
    expect(type(401, 'invalid_api_key')).toBe('authentication_error');
    expect(type(403)).toBe('permission_error');
    expect(type(404)).toBe('not_found_error');
    expect(type(413)).toBe('request_too_large');
    expect(type(429)).toBe('rate_limit_error');
    expect(type(502)).toBe('api_error');
    expect(type(503)).toBe('overloaded_error');
    expect(type(504)).toBe('timeout_error');
    expect(type(529, 'overloaded_error')).toBe('overloaded_error');
    expect(JSON.parse(anthropicErrorBody(500, { message: 'm' }, 'r')).error.details).toBeUndefined();
  });
});
