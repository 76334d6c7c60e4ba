import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANTHROPIC_ERRORS, anthropicError, anthropicInvalidRequest } from '../anthropic/anthropic-error';
import { anthropicKeyOf } from '../anthropic/anthropic-key-of';
import { anthropicTokensOf } from '../anthropic/anthropic-tokens-of';
import { buildAnthropicMessage, type MessageMeta } from '../anthropic/build-message';
import { checkAnthropicHeaders } from '../anthropic/check-anthropic-headers';
import { buildMessageEvents } from '../anthropic/message-stream-events';
import { parseMessagesRequest } from '../anthropic/parse-messages-request';
import { applyFaults } from '../apply-faults';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { planReply } from '../plan-reply';
import { writeEventStream } from '../write-event-stream';
import { receiveJsonRequest } from './receive-json-request';

/** Anthropic's answer to a body that is not JSON. */
export const ANTHROPIC_UNPARSABLE_JSON = anthropicInvalidRequest(
  'There was an error parsing the body of your request: the body is not valid JSON.',
);

/** `POST /v1/messages`: a deterministic Anthropic `Message`, or its event stream. */
export function v1Messages(ctx: MockContext, req: IncomingMessage, res: ServerResponse, text: string): void {
  const { body, model, apiKey, suffix, requestId } = receiveJsonRequest(ctx, req, text, {
    apiKeyOf: anthropicKeyOf,
  });
  const headers = { 'x-request-id': requestId, 'request-id': requestId };

  applyFaults(
    ctx,
    req,
    res,
    requestId,
    model,
    apiKey,
    (faults) => {
      const refused = checkAnthropicHeaders(req, apiKey);
      if (refused !== undefined) return sendJson(res, refused.status, refused.body, headers);
      if (!body.ok) return sendJson(res, 400, ANTHROPIC_UNPARSABLE_JSON, headers);
      const parsed = parseMessagesRequest(body.value);
      if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
      const request = parsed.value;
      if (faults.maxContextTokens !== undefined && request.inputTokens > faults.maxContextTokens) {
        return sendJson(
          res,
          400,
          anthropicError(
            'invalid_request_error',
            `prompt is too long: ${request.inputTokens} tokens > ${faults.maxContextTokens} maximum`,
          ),
          headers,
        );
      }
      const reply = planReply(request.reply);
      const tokens = anthropicTokensOf(ctx, request, reply, apiKey);
      const meta: MessageMeta = {
        id: `msg_mock${suffix}`,
        model: request.model,
        toolUseId: `toolu_mock${suffix}`,
      };
      if (!request.stream) {
        if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
        return sendJson(res, 200, buildAnthropicMessage(reply, meta, tokens), headers);
      }
      writeEventStream(
        ctx,
        res,
        requestId,
        buildMessageEvents(reply, meta, tokens),
        faults,
        '',
        { 'request-id': requestId },
        `event: error\ndata: ${JSON.stringify(anthropicError('overloaded_error', 'Overloaded'))}\n\n`,
      );
    },
    ANTHROPIC_ERRORS,
  );
}
