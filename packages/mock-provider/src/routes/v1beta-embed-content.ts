import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { geminiEmbedding, type MockEmbedRequest, parseEmbedRequest } from '../gemini/gemini-embeddings';
import { GEMINI_ERRORS, geminiInvalidArgument } from '../gemini/gemini-error';
import { geminiKeyOf } from '../gemini/gemini-key-of';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { receiveJsonRequest } from './receive-json-request';
import { GEMINI_NO_KEY, GEMINI_UNPARSABLE_JSON } from './v1beta-generate-content';

/**
 * `POST /v1beta/models/{model}:embedContent` (`{ embedding: { values } }`) and `:batchEmbedContents`
 * (`{ requests: [...] }` → `{ embeddings: [...] }`, what `@google/genai`'s `embedContent` calls).
 */
export function v1betaEmbedContent(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  model: string,
  batch: boolean,
): void {
  const { body, apiKey, requestId } = receiveJsonRequest(ctx, req, text, { model, apiKeyOf: geminiKeyOf });
  const headers = { 'x-request-id': requestId };
  applyFaults(
    ctx,
    req,
    res,
    requestId,
    model,
    apiKey,
    (faults) => {
      if (apiKey === undefined) return sendJson(res, 403, GEMINI_NO_KEY, headers);
      if (!body.ok) return sendJson(res, 400, GEMINI_UNPARSABLE_JSON, headers);
      let requests: MockEmbedRequest[];
      if (batch) {
        const list = (body.value as { requests?: unknown } | null)?.requests;
        if (!Array.isArray(list) || list.length === 0) {
          return sendJson(
            res,
            400,
            geminiInvalidArgument('* BatchEmbedContentsRequest.requests: requests is not specified\n'),
            headers,
          );
        }
        requests = [];
        for (let i = 0; i < list.length; i++) {
          const parsed = parseEmbedRequest(list[i], `BatchEmbedContentsRequest.requests[${i}]`);
          if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
          requests.push(parsed.value);
        }
      } else {
        const parsed = parseEmbedRequest(body.value);
        if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
        requests = [parsed.value];
      }
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      const answer = batch
        ? { embeddings: requests.map(geminiEmbedding) }
        : { embedding: geminiEmbedding(requests[0]!) };
      sendJson(res, 200, answer, headers);
    },
    GEMINI_ERRORS,
  );
}
