import { describe, expect, it } from 'vitest';
import { classifyUpstreamStatus } from './classify-upstream-failure';

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
