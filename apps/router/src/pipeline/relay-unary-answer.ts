import type { ServerResponse } from 'node:http';
import type { UnaryFamilyAdapter } from '@switchyard/core';
import { unaryResponseUsage } from '../billing/estimate-usage';
import { AnswerJson } from '../proxy/answer-json';
import type { AttemptOutcome } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import type { LastFailure } from './attempt-records';
import type { ForwardRequest } from './forward-request';
import { invalidAnswer } from './invalid-answer';
import { learnFromAttempt } from './learn-from-attempt';
import type { ServedAttempt } from './served-attempt';
import type { Settlement } from './settlement';

/**
 * Sends a unary family's answer (embeddings, images): the upstream's bytes on the fast path, else the adapter's
 * family handler's canonical answer written by the surface. An answer that is not a JSON object, or does not
 * translate, is the attempt's `invalid_response` (returned, nothing sent: the ladder goes on). Usage is settled
 * per family after the answer is sent (`unaryResponseUsage`).
 */
export async function relayUnaryAnswer(
  ctx: RouterContext,
  res: ServerResponse,
  req: ForwardRequest,
  served: ServedAttempt,
  unary: UnaryFamilyAdapter,
  outcome: Extract<AttemptOutcome, { kind: 'answer' }>,
): Promise<Settlement | LastFailure> {
  const { surface, inbound } = req;
  const { resolved, headers } = served;
  const json = AnswerJson.parse(outcome.body, served.passthrough);
  const answer =
    json === null || served.passthrough ? null : unary.toCanonicalResponse(json.text(), inbound.body);
  if (json === null || (answer !== null && !answer.ok)) {
    return invalidAnswer(ctx, req.requestId, resolved, outcome.attempt, json === null);
  }
  learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, null);
  if (answer === null) {
    const body = outcome.body;
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers);
    res.end(body);
  } else if (surface.sendFamilyAnswer) {
    surface.sendFamilyAnswer(res, headers, answer.value, inbound);
  } else {
    throw new Error(`the ${surface.protocol} surface cannot write a translated answer`);
  }
  const ttftMs = Math.round(performance.now() - req.startedAt);
  // After the answer is sent: an estimate (if any) runs on the token-count thread and never rejects.
  const known = await unaryResponseUsage(unary, json, inbound);
  return {
    status: 'success',
    httpStatus: 200,
    errorClass: null,
    served: resolved,
    usage: known.usage,
    usageEstimated: known.estimated,
    ttftMs,
  };
}
