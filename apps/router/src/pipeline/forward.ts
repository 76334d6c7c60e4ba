import type { ServerResponse } from 'node:http';
import { setImmediate as flushed, setTimeout as sleep } from 'node:timers/promises';
import {
  type AttemptReason,
  type AttemptRecord,
  attemptTimeouts,
  type CompiledRoute,
  DEFAULT_BACKOFF,
  decideFailover,
  fail,
  gatewayError,
  INVALID_RESPONSE,
  isContextWindowError,
  type ProviderAdapter,
  parseRetryAfter,
  planAttempts,
  type RoutePolicy,
} from '@switchyard/core';
import { responseUsage, streamUsage } from '../billing/estimate-usage';
import { canPayRetry, earnRetryShare, payRetry } from '../failover/paid-retry';
import { insertSkipNotes, noteSkipped, type SkipNote } from '../failover/skip-notes';
import { adapterFor } from '../providers/provider-registry';
import { Cancellation } from '../proxy/cancellation';
import { relayStream } from '../proxy/relay-stream';
import { type AttemptOutcome, DEADLINE_EXCEEDED, upstreamAttempt } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { failedWithout, type LastFailure, notSentAttempt } from './attempt-records';
import { failAll } from './fail-all';
import type { ForwardRequest } from './forward-request';
import { learnFromAttempt } from './learn-from-attempt';
import { servedHeaders } from './served-headers';
import { cancelled, type Settlement } from './settlement';
import { streamTranslator } from './stream-translator';

/**
 * Runs the failover ladder (packages/core decideFailover) for one request: asks it for the next step,
 * waits when told to, sends the attempt, and feeds the result back — breakers, cool-downs and rejected
 * credentials learn from every attempt. One deadline (the class policy's total) covers everything; a client
 * disconnect aborts the upstream at once and starts nothing more. Streams fail over only until their first
 * event reaches the client.
 *
 * Each attempt goes out in the target adapter's protocol for the surface's family: the caller's own body when the
 * adapter speaks the surface's protocol (the fast path: answer and stream relayed as bytes), else the canonical
 * body, with the answer and stream translated back through the surface. A target whose adapter does not serve the
 * family is skipped (`unsupported_provider`); a canonical body the adapter cannot honour ends the request with the
 * adapter's 400 `unsupported_feature`, and no other target is tried: the request, not the target, is at fault.
 */
export async function forward(
  ctx: RouterContext,
  res: ServerResponse,
  req: ForwardRequest,
): Promise<Settlement> {
  const { inbound, surface, attempts, startedAt, policy } = req;
  const { health, retryBudget, view } = ctx.failover;
  const deadline = ctx.now() + policy.timeouts.totalMs;

  const abort = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', onClose);
  const deadlineTimer = setTimeout(() => abort.abort(DEADLINE_EXCEEDED), policy.timeouts.totalMs);
  ctx.failover.inFlight++;

  let current = req.route;
  let plan = req.billing.filterPlan(planAttempts(current, ctx.random), current);
  const modelsTried = [current.route.publicModel];
  let nextReason: AttemptReason = 'primary';
  let last: LastFailure | null = null;
  let skips: SkipNote[] | null = null;
  try {
    for (;;) {
      const now = ctx.now();
      const step = decideFailover({
        plan,
        policy,
        last,
        attempts,
        backupModels: current.route.backupModels,
        modelsTried,
        health: view.at(now).health,
        isReliable: view.isReliable,
        successRate: view.successRate,
        panicMinSuccessRate: view.panicMinSuccessRate,
        retryBudgetAvailable: last === null || canPayRetry(ctx, last.target),
        now,
        deadline,
        backoff: DEFAULT_BACKOFF,
        random: ctx.random,
      });
      if (step.kind === 'fail') {
        if (abort.aborted && abort.reason !== DEADLINE_EXCEEDED) return cancelled(null, null, null);
        return failAll(res, req, step, last, policy.timeouts.totalMs);
      }
      if (step.kind === 'backup_model') {
        modelsTried.push(step.model);
        const backup = req.table.route(step.model);
        if (backup) {
          current = backup;
          plan = req.billing.filterPlan(planAttempts(backup, ctx.random), backup);
          nextReason = 'backup_model';
        }
        continue;
      }
      if (step.kind !== 'next_target' && step.delayMs > 0) {
        if (!(await pause(step.delayMs, abort.signal))) {
          if (abort.reason === DEADLINE_EXCEEDED) continue; // the ladder answers deadline_exceeded
          return cancelled(null, null, null);
        }
        if (!view.at(ctx.now()).health(step.target).available) continue;
      }
      // The target as the live configuration has it now (see LadderHealthView): current credential and URL.
      const resolved = view.live(step.target) ?? step.target;
      if (step.kind === 'next_target') skips = noteSkipped(skips, step.skipped, attempts.length);
      const reason: AttemptReason =
        step.kind === 'next_target' ? (step.reason === 'primary' ? nextReason : step.reason) : step.kind;
      const adapter = adapterFor(resolved.provider.kind);
      const timeouts = attemptTimeouts(policy.timeouts, ctx.now(), deadline);
      if (!timeouts) continue; // the deadline passed: the ladder answers deadline_exceeded
      const upstreamProtocol = adapter?.protocols[surface.family];
      if (!adapter || upstreamProtocol === undefined) {
        // A provider kind this router cannot speak (for this family): skip the target, as if it had refused the
        // connection.
        const attempt = notSentAttempt(resolved, reason, 'unsupported_provider');
        attempts.push(attempt);
        last = failedWithout(resolved, attempt, 'connect_error', null);
        continue;
      }
      const passthrough = upstreamProtocol === surface.protocol;
      const built =
        !passthrough && inbound.canonicalRefusal !== undefined
          ? fail(inbound.canonicalRefusal)
          : adapter.buildChatCall({
              baseUrl: resolved.provider.baseUrl,
              credential: resolved.account.credential,
              upstreamModel: resolved.target.upstreamModel,
              body: passthrough ? inbound.native.body : inbound.body,
              form: passthrough ? 'native' : 'canonical',
              stream: inbound.stream,
              nativeHeaders: passthrough ? inbound.nativeHeaders : undefined,
            });
      if (!built.ok) {
        attempts.push(notSentAttempt(resolved, reason, 'unsupported_feature'));
        surface.sendError(res, req.requestId, built.error, {
          'x-switchyard-attempts': String(attempts.length),
          'x-switchyard-traffic-class': req.trafficClass,
        });
        return {
          status: 'error',
          httpStatus: built.error.status,
          errorClass: built.error.code,
          served: null,
          usage: null,
          ttftMs: null,
        };
      }

      const paidRetry = step.spendsRetryBudget;
      if (paidRetry && (last === null || !payRetry(ctx, last.target))) {
        return failAll(
          res,
          req,
          { kind: 'fail', reason: 'retry_budget_exhausted', retryAfterMs: null },
          last,
          policy.timeouts.totalMs,
        );
      }
      if (attempts.length === 0) earnRetryShare(ctx, resolved);
      // Taken right after the ladder saw the target available, with no await in between: it cannot fail here,
      // but for a panic pick, whose open breaker refuses; its outcome still counts in the breaker's window.
      health.breaker(resolved).tryAcquire(ctx.now());
      const sentAt = performance.now();
      const outcome = await upstreamAttempt(ctx, {
        resolved,
        call: built.value,
        stream: inbound.stream,
        cancel: abort,
        timeouts,
        reason,
      });
      attempts.push(outcome.attempt);

      if (outcome.kind === 'failure') {
        if (paidRetry) retryBudget.release();
        learnFromAttempt(ctx, resolved, outcome.attempt, outcome);
        if (outcome.failure.errorClass === 'client_cancelled') return cancelled(null, null, null);
        const widerModel = contextFallback(current, adapter, outcome, policy, modelsTried);
        const wider = widerModel === null ? undefined : req.table.route(widerModel);
        if (widerModel !== null && wider) {
          // The one client error that may change the model: the prompt did not fit this model's window.
          modelsTried.push(widerModel);
          current = wider;
          plan = req.billing.filterPlan(planAttempts(wider, ctx.random), wider);
          nextReason = 'context_window';
          last = null;
          continue;
        }
        last = {
          target: resolved,
          failure: outcome.failure,
          retryAfterMs: parseRetryAfter(outcome.retryAfter, ctx.now()),
          outcome,
        };
        continue;
      }

      const headers = servedHeaders(
        req.requestId,
        req.trafficClass,
        req.rateLimitHeaders,
        current,
        resolved,
        attempts,
        skips,
      );
      if (surface.requestIdHeader !== undefined) headers[surface.requestIdHeader] = req.requestId;
      if (outcome.kind === 'answer') {
        if (paidRetry) retryBudget.release();
        const parsed = outcome.parsed;
        const canonical = passthrough ? null : adapter.toCanonicalResponse(parsed);
        if (canonical !== null && !canonical.ok) {
          // A 2xx its adapter cannot read as an answer: the attempt failed, nothing reached the client.
          const failed = invalidAnswer(outcome.attempt);
          learnFromAttempt(ctx, resolved, outcome.attempt, failed);
          last = { target: resolved, failure: failed.failure, retryAfterMs: null, outcome: failed };
          continue;
        }
        learnFromAttempt(ctx, resolved, outcome.attempt, null);
        if (canonical === null) {
          const body = outcome.body;
          headers['content-type'] = 'application/json';
          headers['content-length'] = String(body.length);
          res.writeHead(200, headers);
          res.end(body);
        } else {
          surface.sendAnswer(res, headers, canonical.value, inbound);
        }
        const ttftMs = Math.round(performance.now() - startedAt);
        // After the answer is sent: the count (if any) runs on the token-count thread and never rejects.
        const known = await responseUsage(adapter.readUsage(parsed), adapter, inbound.body, parsed);
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

      headers['content-type'] = 'text/event-stream; charset=utf-8';
      headers['cache-control'] = 'no-cache';
      const relayed = await relayStream(res, outcome.response.body, {
        adapter,
        translator: passthrough ? null : streamTranslator(adapter, surface, inbound),
        forwardUsageChunk: inbound.includeUsage,
        startedAt,
        begin: () => res.writeHead(200, headers),
        firstByteMs: Math.max(1, timeouts.firstByteMs - (performance.now() - sentAt)),
        idleMs: Math.min(timeouts.idleMs, ctx.limits.bodyTimeoutMs),
        maxEventBytes: ctx.limits.maxSseEventBytes,
        cancel: abort,
      });
      if (paidRetry) retryBudget.release();
      const ttftMs = relayed.firstByteAt === null ? null : Math.round(relayed.firstByteAt);
      outcome.attempt.ttftMs = ttftMs;
      outcome.attempt.latencyMs = Math.round(performance.now() - sentAt);
      // Estimated (when the upstream sent no usage) only once the client has its last byte: the count waits on
      // the token-count thread, which must not delay the end of the stream.
      const known = async () => {
        if (relayed.usage === null) await flushed();
        return streamUsage(relayed, inbound.body);
      };
      if ((abort.aborted && abort.reason !== DEADLINE_EXCEEDED) || res.destroyed) {
        outcome.response.body.destroy();
        outcome.attempt.errorClass = 'client_cancelled';
        learnFromAttempt(ctx, resolved, outcome.attempt, null);
        const usage = await known();
        return cancelled(resolved, usage.usage, ttftMs, usage.estimated);
      }
      if (relayed.interrupted) {
        outcome.response.body.destroy();
        const errorClass = relayed.notSse
          ? 'invalid_response'
          : relayed.tooLarge
            ? 'response_too_large'
            : relayed.timedOut || abort.aborted
              ? 'timeout'
              : 'stream_interrupted';
        outcome.attempt.errorClass = errorClass;
        learnFromAttempt(ctx, resolved, outcome.attempt, null);
        if (relayed.firstByteAt === null) {
          // Nothing reached the client yet: this is an ordinary failed attempt, and the ladder may go on.
          last = failedWithout(resolved, outcome.attempt, errorClass, 200);
          continue;
        }
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
        };
      }
      learnFromAttempt(ctx, resolved, outcome.attempt, null);
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
      };
    }
  } finally {
    clearTimeout(deadlineTimer);
    ctx.failover.inFlight--;
    res.off('close', onClose);
    insertSkipNotes(attempts, skips);
  }
}

/**
 * The route's context fallback model when this failure is an upstream "prompt exceeds the context window" and
 * the policy allows changing the model (never for `evaluation`); null otherwise.
 */
function contextFallback(
  route: CompiledRoute,
  adapter: ProviderAdapter,
  outcome: Extract<AttemptOutcome, { kind: 'failure' }>,
  policy: RoutePolicy,
  modelsTried: readonly string[],
): string | null {
  const model = route.route.contextFallbackModel;
  if (model === null || !policy.rungs.backupModel || modelsTried.includes(model)) return null;
  if (outcome.status !== 400 || outcome.body === null) return null;
  // The adapter reads the error in its own protocol's shape; core judges the fields.
  return isContextWindowError(outcome.status, adapter.readError(outcome.body.toString('utf8')))
    ? model
    : null;
}

/** An answer that is no answer of its protocol, as the attempt failure it is (`invalid_response`). */
function invalidAnswer(attempt: AttemptRecord): Extract<AttemptOutcome, { kind: 'failure' }> {
  attempt.errorClass = INVALID_RESPONSE.errorClass;
  return { kind: 'failure', failure: INVALID_RESPONSE, attempt, status: 200, body: null, retryAfter: null };
}

/** Waits `ms` unless the signal aborts first; true when the wait ran out normally. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
