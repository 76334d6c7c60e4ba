import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { GEMINI_ERRORS } from '../gemini/gemini-error';
import { geminiKeyOf } from '../gemini/gemini-key-of';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { GEMINI_NO_KEY } from './v1beta-generate-content';

/** The `GET /v1beta/models` body: Google's `ListModelsResponse` shape (any model name is served anyway). */
export const MOCK_GEMINI_MODEL_LIST = {
  models: [
    {
      name: 'models/mock-gemini',
      version: '001',
      displayName: 'Mock Gemini',
      inputTokenLimit: 1_048_576,
      outputTokenLimit: 65_536,
      supportedGenerationMethods: ['generateContent', 'countTokens'],
    },
    {
      name: 'models/mock-embedding',
      version: '001',
      displayName: 'Mock Gemini embedding',
      inputTokenLimit: 2_048,
      outputTokenLimit: 1,
      supportedGenerationMethods: ['embedContent'],
    },
  ],
};

/** `GET /v1beta/models` (what a gateway's health check of a Gemini account calls): 403 without a key; faults apply. */
export function v1betaListModels(ctx: MockContext, req: IncomingMessage, res: ServerResponse): void {
  const requestId = `req_mock${ctx.nextId()}`;
  const apiKey = geminiKeyOf(req);
  ctx.stats.record(req.method ?? 'GET', req.url ?? '', req.headers, null, undefined, apiKey);
  const headers = { 'x-request-id': requestId };
  applyFaults(
    ctx,
    req,
    res,
    requestId,
    undefined,
    apiKey,
    (faults) => {
      if (apiKey === undefined) return sendJson(res, 403, GEMINI_NO_KEY, headers);
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      sendJson(res, 200, MOCK_GEMINI_MODEL_LIST, headers);
    },
    GEMINI_ERRORS,
  );
}
