import type { ServerResponse } from 'node:http';
import type { ChatRequest, Result, UnaryFamily, WireProtocol } from '@switchyard/core';
import { openAiErrorType, sendOpenAiError, sendOpenAiUpstreamError } from '../http/send-openai-error';
import { bodyModel } from './body-model';
import { readBearerKey } from './openai-chat/read-bearer-key';
import type { InboundRequest, Surface } from './surface';

function writeJson(res: ServerResponse, headers: Record<string, string>, answer: unknown): void {
  const body = JSON.stringify(answer);
  headers['content-type'] = 'application/json';
  headers['content-length'] = String(Buffer.byteLength(body));
  res.writeHead(200, headers);
  res.end(body);
}

/**
 * An OpenAI surface of a unary family (`/v1/embeddings`, `/v1/images/generations`): one JSON request, one JSON
 * answer, never streamed, key in `Authorization: Bearer`, errors in OpenAI's shape. Its wire format is the
 * family's canonical shape, so its native body is the canonical body and a translated answer is written as is.
 */
export function openAiUnarySurface(spec: {
  protocol: WireProtocol;
  family: UnaryFamily;
  path: string;
  /** Checks a body and reads what the gateway needs (core's validator for the family). */
  validate: (json: unknown) => Result<ChatRequest>;
}): Surface {
  const { protocol, family, validate } = spec;
  return {
    protocol,
    family,
    routes: [{ method: 'POST', path: spec.path }],

    readKey: readBearerKey,

    parse(json) {
      const validated = validate(json);
      if (!validated.ok) return validated;
      const inbound: InboundRequest = {
        ...validated.value,
        native: { protocol, body: validated.value.body },
      };
      return { ok: true, value: inbound };
    },

    requestedModel: bodyModel,

    sendError: sendOpenAiError,

    sendUpstreamError: sendOpenAiUpstreamError,

    sendFamilyAnswer: writeJson,

    // Chat-only: never called for a unary family (the pipeline neither streams nor translates chat for it).
    sendAnswer: writeJson,
    createStreamEncoder() {
      throw new Error(`${protocol} is never streamed`);
    },
    streamError(error, requestId) {
      const frame = {
        error: {
          message: error.message,
          type: openAiErrorType(error.status),
          code: error.code,
          request_id: requestId,
        },
      };
      return `data: ${JSON.stringify(frame)}\n\n`;
    },
  };
}
