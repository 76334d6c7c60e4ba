import type { ServerResponse } from 'node:http';
import type { GatewayError, NormalisedUpstreamError } from '@switchyard/core';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  429: 'rate_limit_error',
};

/** The fields of OpenAI's error object besides the request id. */
export interface OpenAiErrorFields {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** OpenAI's error `type` for a status: the SDKs and clients branch on it. */
export function openAiErrorType(status: number): string {
  return TYPE_BY_STATUS[status] ?? (status >= 400 && status < 500 ? 'invalid_request_error' : 'api_error');
}

/** Answers with OpenAI's error object; the request id rides in the header and the message. */
export function sendOpenAiError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  extraHeaders?: Record<string, string>,
): void {
  writeOpenAiError(
    res,
    requestId,
    error.status,
    {
      message: error.message,
      type: TYPE_BY_STATUS[error.status] ?? 'api_error',
      param: error.param,
      code: error.code,
    },
    error.retryAfterSeconds,
    extraHeaders,
  );
}

/** Writes one OpenAI error object (any status, any fields) with the request id in the body and the header. */
export function writeOpenAiError(
  res: ServerResponse,
  requestId: string,
  status: number,
  error: OpenAiErrorFields,
  retryAfterSeconds?: number,
  extraHeaders?: Record<string, string>,
): void {
  const body = JSON.stringify({
    error: {
      message: error.message,
      type: error.type,
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
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(body);
}

/**
 * Answers an upstream's client error (already redacted and bounded) in OpenAI's shape with the upstream's status;
 * the fields the upstream left out are worded from the status.
 */
export function sendOpenAiUpstreamError(
  res: ServerResponse,
  requestId: string,
  status: number,
  error: NormalisedUpstreamError,
  headers?: Record<string, string>,
): void {
  writeOpenAiError(
    res,
    requestId,
    status,
    {
      message: error.message ?? `The upstream provider rejected the request (HTTP ${status}).`,
      type: error.type ?? openAiErrorType(status),
      param: error.param,
      code: error.code,
    },
    undefined,
    headers,
  );
}
