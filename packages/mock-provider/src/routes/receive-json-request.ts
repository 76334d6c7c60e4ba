import type { IncomingMessage } from 'node:http';
import { bearerKeyOf } from '../bearer-key-of';
import type { MockContext } from '../mock-context';
import { type JsonBody, modelOf, parseJsonBody } from './parse-json-body';

/** What every JSON endpoint of the mock knows about a request before faults and validation. */
export interface ReceivedJsonRequest {
  body: JsonBody;
  model: string | undefined;
  /** The `Authorization: Bearer` key, for per-key faults and stats. */
  apiKey: string | undefined;
  /** Per-request sequence number, for ids derived from it. */
  suffix: string;
  requestId: string;
}

/** How a protocol names the model and the key when not as OpenAI does (body `model`, `Authorization: Bearer`). */
export interface RequestIdentity {
  /** The model, e.g. from Gemini's URL path. */
  model?: string | undefined;
  /** Reads the API key, e.g. Anthropic's `x-api-key`, Gemini's `x-goog-api-key` or `?key=`. */
  apiKeyOf?: (req: IncomingMessage) => string | undefined;
}

/**
 * Parses the body, names the request and records it in the stats (before faults, so faulted calls count
 * too). Without `identity`, the model is the body's `model` and the key the bearer token.
 */
export function receiveJsonRequest(
  ctx: MockContext,
  req: IncomingMessage,
  text: string,
  identity?: RequestIdentity,
): ReceivedJsonRequest {
  const body = parseJsonBody(text);
  const model = identity?.model ?? modelOf(body);
  const apiKey = identity?.apiKeyOf === undefined ? bearerKeyOf(req.headers) : identity.apiKeyOf(req);
  const suffix = ctx.nextId();
  ctx.stats.record(
    req.method ?? 'POST',
    req.url ?? '',
    req.headers,
    body.ok ? body.value : body.raw || null,
    model,
    apiKey,
  );
  return { body, model, apiKey, suffix, requestId: `req_mock${suffix}` };
}
