import type { ServerResponse } from 'node:http';
import { normaliseUpstreamError, type ProviderAdapter } from '@switchyard/core';
import type { Surface } from '../surfaces/surface';

/**
 * Answers an upstream's client error (a 4xx the ladder does not retry) in the caller's protocol: the upstream's
 * status, and its message, type, code and param once the adapter has read them and core has redacted the
 * account's credential and dropped what is not sane (normaliseUpstreamError); the surface's words where the
 * upstream gave none. The upstream's body itself never reaches the caller: it may carry the credential, a
 * proxy's HTML, or anything else.
 */
export function sendUpstreamError(
  surface: Surface,
  res: ServerResponse,
  requestId: string,
  upstream: { status: number; body: Buffer | null; adapter: ProviderAdapter | undefined; credential: string },
  extraHeaders?: Record<string, string>,
): void {
  const { status, body, adapter } = upstream;
  const fields = body && adapter ? adapter.readError(body.toString('utf8')) : null;
  const error = normaliseUpstreamError(fields, [upstream.credential]);
  surface.sendUpstreamError(res, requestId, status, error, extraHeaders);
}
