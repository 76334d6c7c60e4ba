import type { ServerResponse } from 'node:http';
import { responseUsage } from '../billing/estimate-usage';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { ForwardRequest } from './forward-request';
import type { ServedAttempt } from './served-attempt';
import type { Settlement } from './settlement';

/**
 * Sends a complete answer: the upstream's bytes on the fast path, else the adapter's canonical response written
 * by the surface. Usage is read (or estimated) from the native body after the answer is sent.
 */
export async function relayAnswer(
  res: ServerResponse,
  req: ForwardRequest,
  served: ServedAttempt,
  outcome: Extract<AttemptOutcome, { kind: 'answer' }>,
): Promise<Settlement> {
  const { adapter, headers } = served;
  const parsed = outcome.parsed;
  if (served.passthrough) {
    const rewriter = req.surface.passthroughRewriter?.(req.inbound, served.resolved.target.id) ?? null;
    const body = rewriter === null ? outcome.body : rewriter.answer(outcome.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(body);
  } else {
    req.surface.sendAnswer(res, headers, adapter.toCanonicalResponse(parsed), req.inbound);
  }
  const endedAt = performance.now();
  const ttftMs = Math.round(endedAt - req.startedAt);
  // After the answer is sent: the count (if any) runs on the token-count thread and never rejects.
  const known = await responseUsage(adapter.readUsage(parsed), adapter, req.inbound.body, parsed);
  return {
    status: 'success',
    httpStatus: 200,
    errorClass: null,
    served: served.resolved,
    usage: known.usage,
    usageEstimated: known.estimated,
    ttftMs,
    endedAt,
  };
}
