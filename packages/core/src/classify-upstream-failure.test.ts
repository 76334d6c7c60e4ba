import { describe, expect, it } from 'vitest';
import { classifyUpstreamStatus, isContextWindowError } from './classify-upstream-failure';

describe('classifyUpstreamStatus', () => {
  it('a redirect (or any status below 400) is an invalid answer, retried elsewhere', () => {
    for (const status of [204, 301, 302, 303, 307, 308, 399]) {
      expect(classifyUpstreamStatus(status)).toEqual({ errorClass: 'invalid_response', retryable: true });
    }
  });

  it('client errors are final, the gateway-side ones and 5xx are not', () => {
    expect(classifyUpstreamStatus(400)).toEqual({ errorClass: 'client_error', retryable: false });
    expect(classifyUpstreamStatus(422)).toEqual({ errorClass: 'client_error', retryable: false });
    expect(classifyUpstreamStatus(401)).toEqual({ errorClass: 'upstream_auth', retryable: true });
    expect(classifyUpstreamStatus(429)).toEqual({ errorClass: 'rate_limited', retryable: true });
    expect(classifyUpstreamStatus(503)).toEqual({ errorClass: 'server_error', retryable: true });
  });
});

describe('isContextWindowError', () => {
  const fields = (message: string | null, code: string | number | null = null) => ({
    message,
    type: null,
    code,
    param: null,
  });

  it("recognises OpenAI's code and the wording of other protocols' messages, whatever adapter read them", () => {
    expect(isContextWindowError(400, fields(null, 'context_length_exceeded'))).toBe(true);
    expect(isContextWindowError(400, fields("This model's maximum context length is 8192 tokens."))).toBe(
      true,
    );
    // Anthropic's wording, as its adapter would read it from {"type":"error","error":{…}}.
    expect(isContextWindowError(400, fields('prompt is too long: 210000 tokens > 200000 maximum'))).toBe(
      true,
    );
  });

  it('is false for other statuses, other errors and no error object at all', () => {
    expect(isContextWindowError(413, fields(null, 'context_length_exceeded'))).toBe(false);
    expect(isContextWindowError(null, fields('prompt is too long'))).toBe(false);
    expect(isContextWindowError(400, fields('Invalid value for temperature', 'invalid_value'))).toBe(false);
    expect(isContextWindowError(400, null)).toBe(false);
  });
});
