import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readResponsesError } from './read-responses-error';
import { responsesErrorBody } from './responses-error-body';

describe('readResponsesError', () => {
  it("reads OpenAI's error object and the compatible shorthands", () => {
    expect(
      readResponsesError(
        '{"error":{"message":"Previous response with id \'resp_1\' not found.","type":"invalid_request_error","param":"previous_response_id","code":"previous_response_not_found"}}',
      ),
    ).toEqual({
      message: "Previous response with id 'resp_1' not found.",
      type: 'invalid_request_error',
      param: 'previous_response_id',
      code: 'previous_response_not_found',
    });
    expect(readResponsesError('{"error":"overloaded"}')).toEqual({
      message: 'overloaded',
      type: null,
      code: null,
      param: null,
    });
    expect(readResponsesError('{"message":"bad","code":429}')).toMatchObject({ message: 'bad', code: 429 });
    expect(readResponsesError('<html>502</html>')).toBeNull();
    expect(readResponsesError('{"error":{}}')).toBeNull();
    expect(readResponsesError('[1]')).toBeNull();
  });

  it('never throws on any body', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (body) => {
          const fields = readResponsesError(body);
          expect(fields === null || typeof fields === 'object').toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('responsesErrorBody', () => {
  it("is OpenAI's error object with the request id, which the openai SDK reads", () => {
    const body = responsesErrorBody(
      400,
      {
        message: 'previous_response_id is not supported on this route.',
        type: 'invalid_request_error',
        code: 'unsupported_feature',
        param: 'previous_response_id',
      },
      'req_abc',
    );
    expect(JSON.parse(body)).toEqual({
      error: {
        message: 'previous_response_id is not supported on this route.',
        type: 'invalid_request_error',
        param: 'previous_response_id',
        code: 'unsupported_feature',
        request_id: 'req_abc',
      },
    });
    expect(readResponsesError(body)?.code).toBe('unsupported_feature');
  });
});
