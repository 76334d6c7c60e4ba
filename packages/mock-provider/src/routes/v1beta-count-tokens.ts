import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { GEMINI_ERRORS } from '../gemini/gemini-error';
import { geminiKeyOf } from '../gemini/gemini-key-of';
import { checkContents, countGeminiPromptTokens } from '../gemini/parse-generate-content-request';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { receiveJsonRequest } from './receive-json-request';
import { GEMINI_NO_KEY, GEMINI_UNPARSABLE_JSON } from './v1beta-generate-content';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `POST /v1beta/models/{model}:countTokens`: `{ totalTokens }`, the `promptTokenCount` a `generateContent`
 * of the same `contents` (or `generateContentRequest`) would report.
 */
export function v1betaCountTokens(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  model: string,
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
      if (!body.ok || !isObject(body.value)) return sendJson(res, 400, GEMINI_UNPARSABLE_JSON, headers);
      const inner = isObject(body.value.generateContentRequest)
        ? body.value.generateContentRequest
        : body.value;
      const problem = checkContents(inner.contents, 'CountTokensRequest.contents');
      if (problem !== undefined) return sendJson(res, 400, problem, headers);
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      const totalTokens = countGeminiPromptTokens(
        inner.systemInstruction,
        inner.contents as { parts?: unknown }[],
      );
      sendJson(
        res,
        200,
        { totalTokens, promptTokensDetails: [{ modality: 'TEXT', tokenCount: totalTokens }] },
        headers,
      );
    },
    GEMINI_ERRORS,
  );
}
