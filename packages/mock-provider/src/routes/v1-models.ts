import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { bearerKeyOf } from '../bearer-key-of';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { MOCK_MODEL_LIST, MOCK_MODELS } from '../mock-models';
import { openAiErrorForStatus } from '../openai-error';

/**
 * `GET /v1/models` and `GET /v1/models/{id}`. Per-model faults apply to the latter, per-key faults to both;
 * `apiKey` is the key they go by (default: the bearer token; Azure's route passes its `api-key`).
 */
export function v1Models(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  id: string | undefined,
  apiKey: string | undefined = bearerKeyOf(req.headers),
): void {
  const requestId = `req_mock${ctx.nextId()}`;
  ctx.stats.record(req.method ?? 'GET', req.url ?? '', req.headers, null, id, apiKey);

  applyFaults(ctx, req, res, requestId, id, apiKey, (faults) => {
    if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
    if (id === undefined) return sendJson(res, 200, MOCK_MODEL_LIST, { 'x-request-id': requestId });
    const model = MOCK_MODELS.find((m) => m.id === id);
    if (model === undefined)
      return sendJson(res, 404, openAiErrorForStatus(404, id), { 'x-request-id': requestId });
    sendJson(res, 200, model, { 'x-request-id': requestId });
  });
}
