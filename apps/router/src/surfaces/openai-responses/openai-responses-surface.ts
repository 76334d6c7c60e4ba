import {
  type ChatRequestBody,
  ChatToResponsesStream,
  chatResponseToResponses,
  fail,
  formatSseFrames,
  type GatewayError,
  gatewayError,
  ok,
  type Result,
  responsesParamOfChatParam,
  responsesToChatRequest,
} from '@switchyard/core';
import { sendOpenAiError, sendOpenAiUpstreamError } from '../../http/send-openai-error';
import { bodyModel } from '../body-model';
import { readBearerKey } from '../openai-chat/read-bearer-key';
import type { InboundRequest, ParseContext, PassthroughRewriter, Surface } from '../surface';
import { ResponsesItemStore } from './responses-item-store';
import { readTaggedResponseId, responseTag, tagResponseIdsInText } from './tagged-response-id';

/**
 * Output items sent on the translated path, for `item_reference`: an hour, 20,000 items, 32 MiB at most, per
 * router instance (see ResponsesItemStore).
 */
const items = new ResponsesItemStore({
  ttlMs: 60 * 60 * 1000,
  maxEntries: 20_000,
  maxBytes: 32 * 1024 * 1024,
  maxItemBytes: 256 * 1024,
  now: Date.now,
});

/** What the surface keeps of a parsed request for its answer: who asked, and whether items may be kept. */
interface RequestState {
  context: ParseContext;
  store: boolean;
}
const states = new WeakMap<InboundRequest, RequestState>();

const nowSeconds = () => Math.floor(Date.now() / 1000);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * POST /v1/responses — OpenAI's Responses API, streaming and not. To an upstream that speaks Responses (OpenAI
 * itself) the body goes as sent and the answer comes back as bytes, its response ids tagged with the serving
 * target so `previous_response_id` reaches the same target again (and only it; a 400 when it cannot). To any
 * other chat upstream the request is translated through the canonical chat shape (core `responsesToChatRequest`,
 * `chatResponseToResponses`, `ChatToResponsesStream`), and the output items sent are kept a while so the Vercel
 * AI SDK's `item_reference`s to them resolve. A request using what translation cannot carry (hosted tools,
 * reasoning items, unknown parameters) is served only by Responses-speaking targets.
 */
export const openAiResponsesSurface: Surface = {
  protocol: 'openai-responses',
  family: 'chat',
  routes: [{ method: 'POST', path: '/v1/responses' }],

  readKey: readBearerKey,

  parse(json, _params, context) {
    if (!isObject(json)) return invalid('The request body must be a JSON object.', 'body');
    const { model } = json;
    if (model === undefined) return invalid("Missing required parameter: 'model'.", 'model');
    if (typeof model !== 'string' || model.length === 0) {
      return invalid("Invalid value for 'model': expected a non-empty string.", 'model');
    }
    if (json.stream !== undefined && json.stream !== null && typeof json.stream !== 'boolean') {
      return invalid("Invalid type for 'stream': expected a boolean.", 'stream');
    }
    const pinned = readPreviousResponse(json.previous_response_id);
    if (!pinned.ok) return pinned;
    const native = pinned.value === null ? json : { ...json, previous_response_id: pinned.value.upstreamId };
    const translatable = pinned.value === null ? json : { ...json, previous_response_id: undefined };
    const translated = responsesToChatRequest(
      translatable,
      context === undefined ? {} : { resolveItemReference: (id) => items.get(context.keyId, id) },
    );
    let body: ChatRequestBody;
    let nativeOnly: InboundRequest['nativeOnly'];
    if (translated.ok) {
      body = translated.value;
      if (pinned.value !== null) {
        nativeOnly = { targetId: pinned.value.targetId, refusal: pinnedRefusal(json.previous_response_id) };
      }
    } else if (pinned.value !== null || translated.error.code === 'unsupported_feature') {
      // Only a target that speaks Responses can take it; the canonical body is an estimate for limits.
      body = estimateBody(json, model);
      nativeOnly = {
        targetId: pinned.value?.targetId ?? null,
        refusal: pinned.value === null ? translated.error : pinnedRefusal(json.previous_response_id),
      };
    } else {
      return translated;
    }
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : null;
    const inbound: InboundRequest = {
      model,
      stream: json.stream === true,
      includeUsage: false,
      maxTokens,
      choices: 1,
      body: body as unknown as Record<string, unknown>,
      native: { protocol: 'openai-responses', body: native },
    };
    if (nativeOnly !== undefined) inbound.nativeOnly = nativeOnly;
    states.set(inbound, {
      context: context ?? { keyId: '', requestId: '' },
      store: context !== undefined && json.store !== false,
    });
    return ok(inbound);
  },

  requestedModel: bodyModel,

  sendError: sendOpenAiError,

  callerParam: responsesParamOfChatParam,

  sendUpstreamError: sendOpenAiUpstreamError,

  sendAnswer(res, headers, answer, request) {
    const state = states.get(request);
    const response = chatResponseToResponses(answer, {
      idBase: state?.context.requestId ?? '',
      model: request.model,
      request: request.native.body,
      now: nowSeconds,
    });
    if (state?.store) items.put(state.context.keyId, response.output);
    const body = JSON.stringify(response);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
    res.writeHead(200, headers);
    res.end(body);
  },

  passthroughRewriter(_request, targetId): PassthroughRewriter | null {
    const tag = responseTag(targetId);
    if (tag === null) return null;
    return {
      answer: (body) => Buffer.from(tagResponseIdsInText(body.toString('utf8'), tag)),
      event: (text) => tagResponseIdsInText(text, tag),
    };
  },

  createStreamEncoder(request) {
    const state = states.get(request);
    const stream = new ChatToResponsesStream({
      idBase: state?.context.requestId ?? '',
      model: request.model,
      request: request.native.body,
      now: nowSeconds,
    });
    return {
      encode: (chunk) => formatSseFrames(stream.push(chunk)),
      end: () => {
        const text = formatSseFrames(stream.end());
        if (state?.store) items.put(state.context.keyId, stream.outputItems());
        return text;
      },
    };
  },

  streamError(error, requestId) {
    // Responses' own `error` event; the stream ends after it (no terminal response event can be built here).
    const event = {
      type: 'error',
      code: error.code,
      message: error.message,
      param: error.param,
      sequence_number: 0,
      request_id: requestId,
    };
    return `event: error\ndata: ${JSON.stringify(event)}\n\n`;
  },
};

const invalid = (message: string, param: string): Result<never> =>
  fail(gatewayError('invalid_request', message, param));

/**
 * The target and upstream id a `previous_response_id` continues; null without one. An id this gateway did not
 * tag (a translated response's, another system's) cannot be continued: 400 naming the field.
 */
function readPreviousResponse(value: unknown): Result<{ targetId: string; upstreamId: string } | null> {
  if (value === undefined || value === null) return ok(null);
  if (typeof value !== 'string') {
    return invalid("Invalid type for 'previous_response_id': expected a string.", 'previous_response_id');
  }
  const read = readTaggedResponseId(value);
  if (read !== null) return ok(read);
  return fail(
    gatewayError(
      'unsupported_feature',
      `previous_response_id '${value}' cannot be continued through this gateway: only responses served by an ` +
        'upstream that keeps them (OpenAI) can be, and this one was not (it was translated from a chat model, or ' +
        'did not come from this gateway). Send the whole conversation in `input` instead.',
      'previous_response_id',
    ),
  );
}

function pinnedRefusal(id: unknown): GatewayError {
  return gatewayError(
    'unsupported_feature',
    `previous_response_id '${String(id)}' is held by an upstream target this request cannot reach now (it was ` +
      'removed, disabled or drained, is not on this model’s route, or no longer speaks Responses). Send the ' +
      'whole conversation in `input` instead.',
    'previous_response_id',
  );
}

/**
 * A canonical stand-in for a request only a Responses upstream can take: its instructions and input as one
 * user turn (what TPM and the prompt estimate read), its output cap and `user`.
 */
function estimateBody(json: Record<string, unknown>, model: string): ChatRequestBody {
  const instructions = typeof json.instructions === 'string' ? json.instructions : '';
  const input = typeof json.input === 'string' ? json.input : JSON.stringify(json.input ?? '');
  const body: ChatRequestBody = { model, messages: [{ role: 'user', content: `${instructions}${input}` }] };
  const max = json.max_output_tokens;
  if (typeof max === 'number' && Number.isSafeInteger(max) && max > 0) body.max_tokens = max;
  if (typeof json.user === 'string') body.user = json.user;
  if (json.stream === true) body.stream = true;
  return body;
}
