import type { ServerResponse } from 'node:http';
import { normaliseUpstreamError, type ProviderAdapter } from '@switchyard/core';
import { openAiErrorType, writeOpenAiError } from './send-openai-error';

/**
 * Answers an upstream's client error (a 4xx the ladder does not retry) in OpenAI's error shape: the upstream's
 * status, and its message, type, code and param once the adapter has read them and core has redacted the
 * account's credential and dropped what is not sane (normaliseUpstreamError); the router's words where the
 * upstream gave none. The upstream's body itself never reaches the caller: it may carry the credential, a
 * proxy's HTML, or anything else.
 */
export function sendUpstreamError(
  res: ServerResponse,
  requestId: string,
  upstream: { status: number; body: Buffer | null; adapter: ProviderAdapter | undefined; credential: string },
  extraHeaders?: Record<string, string>,
): void {
  const { status, body, adapter } = upstream;
  const fields = body && adapter ? adapter.readError(body.toString('utf8')) : null;
  const error = normaliseUpstreamError(fields, [upstream.credential]);
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
    extraHeaders,
  );
}
