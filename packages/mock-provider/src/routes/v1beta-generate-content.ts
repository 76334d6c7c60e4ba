import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import {
  buildGenerateContentChunks,
  buildGenerateContentResponse,
  type GenerateContentMeta,
} from '../gemini/build-generate-content-response';
import { GEMINI_ERRORS, geminiError, geminiInvalidArgument } from '../gemini/gemini-error';
import { geminiKeyOf } from '../gemini/gemini-key-of';
import { parseGenerateContentRequest } from '../gemini/parse-generate-content-request';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { planReply } from '../plan-reply';
import { writeEventStream } from '../write-event-stream';
import { receiveJsonRequest } from './receive-json-request';

/** Google's answer to a body that is not JSON. */
export const GEMINI_UNPARSABLE_JSON = geminiInvalidArgument(
  'Invalid JSON payload received. Unexpected token.',
);

/** Google's answer to a call without a key (no `x-goog-api-key`, no `?key=`). */
export const GEMINI_NO_KEY = geminiError(
  403,
  "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.",
);

/**
 * `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent` (SSE with `alt=sse`, else a
 * JSON array of the same chunks, as Google does).
 */
export function v1betaGenerateContent(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  model: string,
  stream: boolean,
): void {
  const { body, apiKey, suffix, requestId } = receiveJsonRequest(ctx, req, text, {
    model,
    apiKeyOf: geminiKeyOf,
  });
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
      const parsed = parseGenerateContentRequest(body.value);
      if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
      const request = parsed.value;
      if (faults.maxContextTokens !== undefined && request.reply.promptTokens > faults.maxContextTokens) {
        return sendJson(
          res,
          400,
          geminiInvalidArgument(
            `The input token count (${request.reply.promptTokens}) exceeds the maximum number of tokens allowed (${faults.maxContextTokens}).`,
          ),
          headers,
        );
      }
      const reply = planReply(request.reply);
      const meta: GenerateContentMeta = {
        model,
        responseId: `mockresp${suffix}`,
        candidateCount: request.candidateCount,
      };
      if (!stream) {
        if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
        return sendJson(res, 200, buildGenerateContentResponse(reply, meta), headers);
      }
      const chunks = buildGenerateContentChunks(reply, meta);
      if (isSse(req.url)) return writeEventStream(ctx, res, requestId, chunks, faults, '');
      // Without alt=sse Google streams one JSON array; the mock sends it whole.
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      const array = chunks.map((chunk) => chunk.slice('data: '.length).trimEnd());
      const json = `[${array.join(',\r\n')}]`;
      res.writeHead(200, {
        'content-type': 'application/json; charset=UTF-8',
        'content-length': Buffer.byteLength(json),
        ...headers,
      });
      res.end(json);
    },
    GEMINI_ERRORS,
  );
}

function isSse(url: string | undefined): boolean {
  const query = url?.indexOf('?') ?? -1;
  return query !== -1 && new URLSearchParams(url!.slice(query + 1)).get('alt') === 'sse';
}
