import type { ServerResponse } from 'node:http';
import { anthropicErrorBody, type GatewayError } from '@switchyard/core';

/** The fields of an error answered in Anthropic's shape (see core `anthropicErrorBody`). */
export interface AnthropicErrorFields {
  message: string;
  /** An Anthropic error type to keep (an Anthropic upstream's own); else derived from the status. */
  type?: string | null;
  /** The gateway's code (or the upstream's), carried in `error.details.error_code`. */
  code?: string | null;
  param?: string | null;
}

/**
 * Writes `{"type":"error","error":{"type","message"},"request_id"}` with the request id in the body and in both
 * `x-request-id` and `request-id` (the header `@anthropic-ai/sdk` reads into `APIError.requestID`).
 */
export function writeAnthropicError(
  res: ServerResponse,
  requestId: string,
  status: number,
  error: AnthropicErrorFields,
  retryAfterSeconds?: number,
  extraHeaders?: Record<string, string>,
): void {
  const body = anthropicErrorBody(status, error, requestId);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
    'request-id': requestId,
  };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(body);
}

/** Answers a gateway error in Anthropic's error shape, its code in `error.details.error_code`. */
export function sendAnthropicError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  headers?: Record<string, string>,
): void {
  writeAnthropicError(
    res,
    requestId,
    error.status,
    { message: error.message, code: error.code, param: error.param },
    error.retryAfterSeconds,
    headers,
  );
}
