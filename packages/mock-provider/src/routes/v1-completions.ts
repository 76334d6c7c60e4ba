import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { sendJson } from '../http-io';
import {
  buildLegacyChunks,
  buildLegacyCompletion,
  type LegacyMeta,
  parseCompletionsRequest,
  planCompletions,
} from '../legacy-completions';
import type { MockContext } from '../mock-context';
import { UNPARSABLE_JSON } from '../parse-chat-request';
import { SSE_DONE } from '../sse-stream';
import { writeEventStream } from '../write-event-stream';
import { receiveJsonRequest } from './receive-json-request';

/** `POST /v1/completions` (legacy): a deterministic `text_completion`, or its stream ending in `[DONE]`. */
export function v1Completions(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): void {
  const { body, model, apiKey, suffix, requestId } = receiveJsonRequest(ctx, req, text);
  const headers = { 'x-request-id': requestId };
  applyFaults(ctx, req, res, requestId, model, apiKey, (faults) => {
    if (!body.ok) return sendJson(res, 400, UNPARSABLE_JSON, headers);
    const parsed = parseCompletionsRequest(body.value);
    if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
    const request = parsed.value;
    const plan = planCompletions(request);
    const meta: LegacyMeta = {
      id: `cmpl-mock${suffix}`,
      created: Math.floor(ctx.now() / 1000),
      model: request.model,
    };
    if (!request.stream) {
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      return sendJson(res, 200, buildLegacyCompletion(plan, meta), headers);
    }
    writeEventStream(
      ctx,
      res,
      requestId,
      buildLegacyChunks(plan, meta, request.includeUsage),
      faults,
      SSE_DONE,
    );
  });
}
