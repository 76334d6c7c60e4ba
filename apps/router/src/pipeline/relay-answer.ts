import type { ServerResponse } from 'node:http';
import type { ResolvedTarget } from '@switchyard/core';
import { type KnownUsage, responseUsage } from '../billing/estimate-usage';
import { AnswerJson } from '../proxy/answer-json';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { answerContext } from './answer-context';
import type { LastFailure } from './attempt-records';
import type { ForwardRequest } from './forward-request';
import { invalidAnswer } from './invalid-answer';
import { learnFromAttempt } from './learn-from-attempt';
import type { ServedAttempt } from './served-attempt';
import type { Settlement } from './settlement';

/**
 * Sends a complete answer: the upstream's bytes on the fast path, else the adapter's canonical response written
 * by the surface. An answer that is not a JSON object, or that the adapter cannot read as one of its protocol, is
 * the attempt's `invalid_response` (returned, nothing sent: the ladder goes on). Usage is read (or estimated) from
 * the native body after the answer is sent. The body is parsed here, where it is known whether it is relayed as
 * bytes (checked on the wire) or translated (parsed as text): see `AnswerJson`.
 *
 * Not async: only an answer whose usage must be counted waits (for the count); every other one settles without
 * an async frame and its promise.
 */
export function relayAnswer(
  ctx: RouterContext,
  res: ServerResponse,
  req: ForwardRequest,
  served: ServedAttempt,
  outcome: Extract<AttemptOutcome, { kind: 'answer' }>,
): Settlement | LastFailure | Promise<Settlement> {
  const { adapter, resolved, headers } = served;
  const answer = AnswerJson.parse(outcome.body, served.passthrough);
  const canonical =
    answer === null || served.passthrough
      ? null
      : adapter.toCanonicalResponse(answer.text(), answerContext(ctx, req.requestId, resolved));
  if (answer === null || (canonical !== null && !canonical.ok)) {
    return invalidAnswer(ctx, req.requestId, resolved, outcome.attempt, answer === null);
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
  const known = responseUsage(answer.usage(adapter), adapter, req.inbound.body, answer);
  return known instanceof Promise
    ? known.then((counted) => servedSettlement(resolved, counted, ttftMs, endedAt))
    : servedSettlement(resolved, known, ttftMs, endedAt);
}

/** The success settlement of an answer served by `served`. */
function servedSettlement(
  served: ResolvedTarget,
  known: KnownUsage,
  ttftMs: number,
  endedAt: number,
): Settlement {
  return {
    status: 'success',
    httpStatus: 200,
    errorClass: null,
    served,
    usage: known.usage,
    usageEstimated: known.estimated,
    ttftMs,
    endedAt,
  };
}
