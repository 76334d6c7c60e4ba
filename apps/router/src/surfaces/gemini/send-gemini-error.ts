import type { ServerResponse } from 'node:http';
import { type GatewayError, geminiErrorBody, geminiStatusName } from '@switchyard/core';

/** Writes one Gemini error (`{"error":{code,message,status,details}}`) with the request id in the message and header. */
export function writeGeminiError(
  res: ServerResponse,
  requestId: string,
  status: number,
  error: { message: string; type: string | null; code: string | null; param: string | null },
  retryAfterSeconds?: number,
  extraHeaders?: Record<string, string>,
): void {
  const body = geminiErrorBody(
    status,
    {
      message: error.message,
      type: error.type ?? geminiStatusName(status).toLowerCase(),
      code: error.code,
      param: error.param,
    },
    requestId,
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': String(Buffer.byteLength(body)),
    'x-request-id': requestId,
  };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = String(retryAfterSeconds);
  if (extraHeaders) Object.assign(headers, extraHeaders);
  res.writeHead(status, headers);
  res.end(body);
}

/** Answers a gateway error in Google's error JSON. */
export function sendGeminiError(
  res: ServerResponse,
  requestId: string,
  error: GatewayError,
  headers?: Record<string, string>,
): void {
  writeGeminiError(
    res,
    requestId,
    error.status,
    { message: error.message, type: null, code: error.code, param: error.param },
    error.retryAfterSeconds,
    headers,
  );
}
