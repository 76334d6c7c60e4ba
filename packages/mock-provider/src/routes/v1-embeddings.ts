import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { buildEmbeddingsResponse, parseEmbeddingsRequest } from '../embeddings';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { UNPARSABLE_JSON } from '../parse-chat-request';
import { type RequestIdentity, receiveJsonRequest } from './receive-json-request';

/**
 * `POST /v1/embeddings`: deterministic unit vectors, float or base64. `identity` names the model and key when the
 * route does instead of the body (Azure's deployment URL and `api-key`).
 */
export function v1Embeddings(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  identity?: RequestIdentity,
): void {
  const { body, model, apiKey, requestId } = receiveJsonRequest(ctx, req, text, identity);

  applyFaults(ctx, req, res, requestId, model, apiKey, (faults) => {
    if (!body.ok) return sendJson(res, 400, UNPARSABLE_JSON, { 'x-request-id': requestId });
    const parsed = parseEmbeddingsRequest(
      identity?.model !== undefined && typeof body.value === 'object' && body.value !== null
        ? { ...body.value, model: identity.model }
        : body.value,
    );
    if (!parsed.ok) return sendJson(res, 400, parsed.error, { 'x-request-id': requestId });
    if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
    sendJson(res, 200, buildEmbeddingsResponse(parsed.value), { 'x-request-id': requestId });
  });
}
