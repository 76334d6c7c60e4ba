import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { buildChatCompletion, type CompletionMeta } from '../chat-completion';
import { countPromptTokens } from '../count-tokens';
import { writeEndlessStream, writeHugeCompletion, writeUnterminatedSse } from '../hostile-answers';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import type { MockFaultSettings } from '../mock-faults';
import { contextLengthExceeded } from '../openai-error';
import { parseChatRequest, UNPARSABLE_JSON } from '../parse-chat-request';
import { planChatReply } from '../plan-chat-reply';
import { buildChatChunks, writeSseStream } from '../sse-stream';
import { type RequestIdentity, receiveJsonRequest } from './receive-json-request';

/**
 * `POST /v1/chat/completions`: a deterministic `chat.completion`, or its `chat.completion.chunk` stream.
 * `identity` names the model and key where the route, not the body, carries them (Azure's deployment URL).
 */
export function v1ChatCompletions(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
  identity?: RequestIdentity,
): void {
  const { body, model, apiKey, suffix, requestId } = receiveJsonRequest(ctx, req, text, identity);

  applyFaults(ctx, req, res, requestId, model, apiKey, (faults) => {
    if (!body.ok) return sendJson(res, 400, UNPARSABLE_JSON, { 'x-request-id': requestId });
    const parsed = parseChatRequest(
      identity?.model !== undefined && typeof body.value === 'object' && body.value !== null
        ? { ...body.value, model: identity.model }
        : body.value,
    );
    if (!parsed.ok) return sendJson(res, 400, parsed.error, { 'x-request-id': requestId });
    const request = parsed.value;
    if (faults.maxContextTokens !== undefined) {
      const promptTokens = countPromptTokens(request.messages);
      if (promptTokens > faults.maxContextTokens) {
        return sendJson(res, 400, contextLengthExceeded(faults.maxContextTokens, promptTokens), {
          'x-request-id': requestId,
        });
      }
    }
    const meta: CompletionMeta = {
      id: `chatcmpl-mock${suffix}`,
      created: Math.floor(ctx.now() / 1000),
      model: request.model,
      toolCallId: `call_mock${suffix}`,
    };
    const reply = planChatReply(request);

    if (faults.invalidBody === true) return sendInvalidBody(res, requestId, request.stream, faults);
    if (!request.stream) {
      if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
      if (faults.hugeBodyMb !== undefined)
        return writeHugeCompletion(res, meta, faults.hugeBodyMb, requestId);
      const completion: Record<string, unknown> = buildChatCompletion(reply, meta, request.n);
      if (faults.usage !== undefined) completion.usage = faults.usage;
      else if (faults.omitUsage === true) delete completion.usage;
      return sendJson(res, 200, completion, {
        'x-request-id': requestId,
        ...(faults.contentType === undefined ? {} : { 'content-type': faults.contentType }),
      });
    }
    res.writeHead(200, {
      'content-type': faults.contentType ?? 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-request-id': requestId,
    });
    const usage = faults.usage !== undefined || faults.omitUsage !== true;
    if (faults.endlessStream === true) return writeEndlessStream(res, meta);
    if (faults.unterminatedSse === true) return writeUnterminatedSse(res, meta);
    writeSseStream(
      res,
      buildChatChunks(reply, meta, request.includeUsage && usage, faults.usage, request.n),
      {
        ttftMs: faults.ttftMs ?? 0,
        chunkGapMs: faults.chunkGapMs ?? 0,
        dropAfterChunks: faults.dropAfterChunks,
      },
      ctx.later,
      () => ctx.dropped.add(res),
    );
  });
}

/** A maintenance page, as a misconfigured proxy in front of an upstream serves it, with blank lines inside. */
const HTML_PAGE =
  '<html>\n<head><title>Service maintenance</title></head>\n\n<body>\n<h1>We will be back soon</h1>\n\n</body>\n</html>\n';

/** A 200 whose body is not what its content type claims: JSON for a completion, SSE for a stream. */
function sendInvalidBody(
  res: ServerResponse,
  requestId: string,
  stream: boolean,
  faults: MockFaultSettings,
): void {
  res.writeHead(200, {
    'content-type': faults.contentType ?? (stream ? 'text/event-stream; charset=utf-8' : 'application/json'),
    'content-length': Buffer.byteLength(HTML_PAGE),
    'x-request-id': requestId,
  });
  res.end(HTML_PAGE);
}
