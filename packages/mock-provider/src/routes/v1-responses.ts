import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { contextLengthExceeded, invalidRequest } from '../openai-error';
import { UNPARSABLE_JSON } from '../parse-chat-request';
import { planReply } from '../plan-reply';
import { buildResponse, type ResponseMeta } from '../responses/build-response';
import { parseResponsesRequest } from '../responses/parse-responses-request';
import { buildResponseEvents } from '../responses/response-stream-events';
import { writeEventStream } from '../write-event-stream';
import { receiveJsonRequest } from './receive-json-request';

/** OpenAI's answer to a `previous_response_id` it does not hold (this mock: one it did not issue). */
export function previousResponseNotFound(id: string) {
  return invalidRequest(
    `Previous response with id '${id}' not found.`,
    'previous_response_id',
    'previous_response_not_found',
  );
}

/**
 * `POST /v1/responses`: a deterministic `response` (output message or function calls, usage), or its event
 * stream. `previous_response_id` must name a response this instance issued, else 400, so a gateway's
 * pinning of a conversation to the upstream that holds it is testable with two mocks.
 */
export function v1Responses(ctx: MockContext, req: IncomingMessage, res: ServerResponse, text: string): void {
  const { body, model, apiKey, suffix, requestId } = receiveJsonRequest(ctx, req, text);
  const headers = { 'x-request-id': requestId };

  applyFaults(ctx, req, res, requestId, model, apiKey, (faults) => {
    if (!body.ok) return sendJson(res, 400, UNPARSABLE_JSON, headers);
    const parsed = parseResponsesRequest(body.value);
    if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
    const request = parsed.value;
    const previous = request.previousResponseId;
    if (previous !== null && !ctx.responseIds.has(previous)) {
      return sendJson(res, 400, previousResponseNotFound(previous), headers);
    }
    if (faults.maxContextTokens !== undefined && request.reply.promptTokens > faults.maxContextTokens) {
      const error = contextLengthExceeded(faults.maxContextTokens, request.reply.promptTokens);
      return sendJson(res, 400, { error: { ...error.error, param: 'input' } }, headers);
    }
    const reply = planReply(request.reply);
    const meta: ResponseMeta = {
      id: `resp_mock${suffix}`,
      messageId: `msg_mock${suffix}`,
      functionCallId: `fc_mock${suffix}`,
      callId: `call_mock${suffix}`,
      createdAt: Math.floor(ctx.now() / 1000),
    };
    ctx.remember(ctx.responseIds, meta.id);
    if (!request.stream) {
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      return sendJson(res, 200, buildResponse(reply, meta, request), headers);
    }
    const events = buildResponseEvents(reply, meta, request);
    const error = {
      type: 'error',
      code: 'server_error',
      message: 'The server had an error while processing your request.',
      param: null,
      sequence_number: Math.min(faults.errorEventAfterChunks ?? 0, events.length),
    };
    writeEventStream(
      ctx,
      res,
      requestId,
      events,
      faults,
      '',
      undefined,
      `event: error\ndata: ${JSON.stringify(error)}\n\n`,
    );
  });
}
