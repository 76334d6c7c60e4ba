import type { ServerResponse } from 'node:http';
import { responseUsage } from '../billing/estimate-usage';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { answerContext } from './answer-context';
import { failedWithout, type LastFailure } from './attempt-records';
import type { ForwardRequest } from './forward-request';
import { learnFromAttempt } from './learn-from-attempt';
import type { ServedAttempt } from './served-attempt';
import type { Settlement } from './settlement';

/**
 * Sends a complete answer: the upstream's bytes on the fast path, else the adapter's canonical response written
 * by the surface. An answer the adapter cannot read as one of its protocol is the attempt's `invalid_response`
 * (returned, nothing sent: the ladder goes on). Usage is read (or estimated) from the native body after the
 * answer is sent.
 */
export async function relayAnswer(
  ctx: RouterContext,
  res: ServerResponse,
  req: ForwardRequest,
  served: ServedAttempt,
  outcome: Extract<AttemptOutcome, { kind: 'answer' }>,
): Promise<Settlement | LastFailure> {
  const { adapter, resolved, headers } = served;
  const parsed = outcome.parsed;
  const canonical = served.passthrough
    ? null
    : adapter.toCanonicalResponse(parsed, answerContext(ctx, req.requestId, resolved));
  if (canonical !== null && !canonical.ok) {
    outcome.attempt.errorClass = 'invalid_response';
    const failed = failedWithout(resolved, outcome.attempt, 'invalid_response', 200);
    learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, failed.outcome);
    return failed;
  }
  learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, null);
  if (canonical === null) {
    const rewriter = req.surface.passthroughRewriter?.(req.inbound, served.resolved.target.id) ?? null;
    const body = rewriter === null ? outcome.body : rewriter.answer(outcome.body);
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(body);
  } else {
    req.surface.sendAnswer(res, headers, canonical.value, req.inbound);
  }
  const endedAt = performance.now();
  const ttftMs = Math.round(endedAt - req.startedAt);
  // After the answer is sent: the count (if any) runs on the token-count thread and never rejects.
  let known = responseUsage(adapter.readUsage(parsed), adapter, req.inbound.body, parsed);
  if (known instanceof Promise) known = await known;
  return {
    status: 'success',
    httpStatus: 200,
    errorClass: null,
    served: resolved,
    usage: known.usage,
    usageEstimated: known.estimated,
    ttftMs,
    endedAt,
  };
}
