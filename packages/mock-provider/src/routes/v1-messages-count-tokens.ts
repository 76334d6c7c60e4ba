import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANTHROPIC_ERRORS } from '../anthropic/anthropic-error';
import { anthropicKeyOf } from '../anthropic/anthropic-key-of';
import { checkAnthropicHeaders } from '../anthropic/check-anthropic-headers';
import { parseMessagesRequest } from '../anthropic/parse-messages-request';
import { applyFaults } from '../apply-faults';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { receiveJsonRequest } from './receive-json-request';
import { ANTHROPIC_UNPARSABLE_JSON } from './v1-messages';

/** `POST /v1/messages/count_tokens`: `{ input_tokens }`, the figure a Messages call would report in total. */
export function v1MessagesCountTokens(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): void {
  const { body, model, apiKey, requestId } = receiveJsonRequest(ctx, req, text, { apiKeyOf: anthropicKeyOf });
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
      const parsed = parseMessagesRequest(body.value, true);
      if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      sendJson(res, 200, { input_tokens: parsed.value.inputTokens }, headers);
    },
    ANTHROPIC_ERRORS,
  );
}
