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

/** Parses the body, names the request and records it in the stats (before faults, so faulted calls count too). */
export function receiveJsonRequest(
  ctx: MockContext,
  req: IncomingMessage,
  text: string,
): ReceivedJsonRequest {
  const body = parseJsonBody(text);
  const model = modelOf(body);
  const apiKey = bearerKeyOf(req.headers);
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
