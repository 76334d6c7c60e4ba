import type { ServerResponse } from 'node:http';
import type { GatewayError } from '@switchyard/core';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** Answers with OpenAI's error object; the request id rides in the header and the message. */
export function sendOpenAiError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  extraHeaders?: Record<string, string>,
): void {
  const body = JSON.stringify({
    error: {
      message: error.message,
      type: TYPE_BY_STATUS[error.status] ?? 'api_error',
      param: error.param,
      code: error.code,
      request_id: requestId,
    },
  });
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  };
  if (error.retryAfterSeconds !== undefined) headers['retry-after'] = String(error.retryAfterSeconds);
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(error.status, headers);
  res.end(body);
}
