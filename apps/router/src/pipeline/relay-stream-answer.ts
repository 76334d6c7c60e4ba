import type { ServerResponse } from 'node:http';
import { setImmediate as flushed } from 'node:timers/promises';
import { type AttemptTimeouts, gatewayError } from '@switchyard/core';
import { streamUsage } from '../billing/estimate-usage';
import type { Cancellation } from '../proxy/cancellation';
import { relayStream } from '../proxy/relay-stream';
import { type AttemptOutcome, DEADLINE_EXCEEDED } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { answerContext } from './answer-context';
import { failedWithout, type LastFailure } from './attempt-records';
import type { ForwardRequest } from './forward-request';
import { learnFromAttempt } from './learn-from-attempt';
import type { ServedAttempt } from './served-attempt';
import { cancelled, type Settlement } from './settlement';
import { streamTranslator } from './stream-translator';

/** How the stream attempt was sent: when, under which timeouts, and the request's cancellation. */
export interface StreamTiming {
  /** performance.now() when the attempt was sent. */
  sentAt: number;
  timeouts: AttemptTimeouts;
  cancel: Cancellation;
  /** The attempt holds a slot of the concurrent retry budget: released as soon as the relay ends. */
  paidRetry: boolean;
}

/**
 * Relays a 2xx stream to the caller (bytes on the fast path, else translated event by event) and settles it. A
 * stream that broke before its first event reached the caller is returned as the failure the ladder goes on from
 * (`LastFailure`); once a byte is out, a break ends the stream with the surface's error event, unless the
 * upstream's own error event (same protocol, relayed as sent) already did.
 */
export async function relayStreamAnswer(
  ctx: RouterContext,
  res: ServerResponse,
  req: ForwardRequest,
  served: ServedAttempt,
  outcome: Extract<AttemptOutcome, { kind: 'stream' }>,
  timing: StreamTiming,
): Promise<Settlement | LastFailure> {
  const { adapter, resolved, headers } = served;
  const { inbound, surface } = req;
  const { sentAt, timeouts, cancel } = timing;
  headers['content-type'] = 'text/event-stream; charset=utf-8';
  headers['cache-control'] = 'no-cache';
  const relayed = await relayStream(res, outcome.response.body, {
    adapter,
    translator: served.passthrough
      ? null
      : streamTranslator(adapter, surface, inbound, answerContext(ctx, req.requestId, resolved)),
    rewrite: served.passthrough ? (surface.passthroughRewriter?.(inbound, resolved.target.id) ?? null) : null,
    forwardUsageChunk: inbound.includeUsage,
    startedAt: req.startedAt,
    begin: () => res.writeHead(200, headers),
    firstByteMs: Math.max(1, timeouts.firstByteMs - (performance.now() - sentAt)),
    idleMs: Math.min(timeouts.idleMs, ctx.limits.bodyTimeoutMs),
    maxEventBytes: ctx.limits.maxSseEventBytes,
    cancel,
  });
  if (timing.paidRetry) ctx.failover.retryBudget.release();
  const ttftMs = relayed.firstByteAt === null ? null : Math.round(relayed.firstByteAt);
  outcome.attempt.ttftMs = ttftMs;
  outcome.attempt.latencyMs = Math.round(performance.now() - sentAt);
  // Estimated (when the upstream sent no usage) only once the client has its last byte: the count waits on
  // the token-count thread, which must not delay the end of the stream.
  const known = async () => {
    if (relayed.usage === null) await flushed();
    return streamUsage(relayed, inbound.body);
  };
  if ((cancel.aborted && cancel.reason !== DEADLINE_EXCEEDED) || res.destroyed) {
    outcome.response.body.destroy();
    outcome.attempt.errorClass = 'client_cancelled';
    learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, null);
    const endedAt = performance.now();
    const usage = await known();
    return cancelled(resolved, usage.usage, ttftMs, usage.estimated, endedAt);
  }
  if (relayed.interrupted) {
    outcome.response.body.destroy();
    const errorClass = relayed.notSse
      ? 'invalid_response'
      : relayed.tooLarge
        ? 'response_too_large'
        : relayed.timedOut || cancel.aborted
          ? 'timeout'
          : 'stream_interrupted';
    outcome.attempt.errorClass = errorClass;
    learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, null);
    // Nothing reached the client yet: this is an ordinary failed attempt, and the ladder may go on.
    if (relayed.firstByteAt === null) return failedWithout(resolved, outcome.attempt, errorClass, 200);
    // Read before the last write: once it is on the socket the client may be done while this thread is still
    // descheduled (a loaded machine), and the row must not claim a longer wait than the client had.
    const endedAt = performance.now();
    // The upstream's own error event, relayed as sent, already ended the caller's stream in its protocol: a
    // second error event would be one error reported twice.
    if (relayed.upstreamErrorRelayed) res.end();
    else
      res.end(
        surface.streamError(
          errorClass === 'timeout'
            ? gatewayError('upstream_timeout', 'The upstream stream stalled past its time limit.')
            : gatewayError('upstream_error', 'The upstream stream was interrupted.'),
          req.requestId,
        ),
      );
    const usage = await known();
    return {
      status: 'interrupted',
      httpStatus: 200,
      errorClass,
      served: resolved,
      usage: usage.usage,
      usageEstimated: usage.estimated,
      ttftMs,
      endedAt,
    };
  }
  learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, null);
  const endedAt = performance.now(); // before the last write, as above
  res.end();
  const usage = await known();
  return {
    status: 'success',
    httpStatus: 200,
    errorClass: null,
    served: resolved,
    usage: usage.usage,
    usageEstimated: usage.estimated,
    ttftMs,
    endedAt,
  };
}
