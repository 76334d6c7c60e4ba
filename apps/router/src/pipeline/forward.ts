import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type AttemptReason,
  attemptTimeouts,
  type CompiledRoute,
  DEFAULT_BACKOFF,
  decideFailover,
  fail,
  isContextWindowError,
  type ProviderAdapter,
  parseRetryAfter,
  planAttempts,
  type ResolvedTarget,
  type RoutePolicy,
} from '@switchyard/core';
import { canPayRetry, earnRetryShare, payRetry } from '../failover/paid-retry';
import { insertSkipNotes, noteSkipped, type SkipNote } from '../failover/skip-notes';
import { adapterFor } from '../providers/provider-registry';
import { Cancellation } from '../proxy/cancellation';
import { clearSharedTimeout, setSharedTimeout } from '../proxy/shared-timeout';
import { type AttemptOutcome, DEADLINE_EXCEEDED, upstreamAttempt } from '../proxy/upstream-attempt';
import type { RouterContext } from '../router-context';
import { failedWithout, type LastFailure, notSentAttempt } from './attempt-records';
import { failAll } from './fail-all';
import type { ForwardRequest } from './forward-request';
import { learnFromAttempt } from './learn-from-attempt';
import { relayAnswer } from './relay-answer';
import { relayStreamAnswer } from './relay-stream-answer';
import { relayUnaryAnswer } from './relay-unary-answer';
import type { ServedAttempt } from './served-attempt';
import { servedHeaders } from './served-headers';
import { cancelled, type Settlement } from './settlement';

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
  const { inbound, surface, attempts, policy } = req;
  const { health, retryBudget, view } = ctx.failover;
  const deadline = ctx.now() + policy.timeouts.totalMs;

  const abort = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) abort.abort();
  };
  res.on('close', onClose);
  const deadlineTimer = setSharedTimeout(() => abort.abort(DEADLINE_EXCEEDED), policy.timeouts.totalMs);
  ctx.failover.inFlight++;

  let current = req.route;
  let plan = req.billing.filterPlan(planAttempts(current, ctx.random), current);
  const modelsTried = [current.route.publicModel];
  let nextReason: AttemptReason = 'primary';
  let last: LastFailure | null = null;
  let skips: SkipNote[] | null = null;
  /** A paid step just found the budget spent: the next decision is made without it. */
  let budgetSpent = false;
  try {
    if (inbound.nativeOnly !== undefined) {
      const native = nativePlan(plan, req);
      if (native.length === 0 && plan.length > 0) {
        // The request can only go up as it is, and no target of the route takes it so: the caller's to fix.
        const refusal = inbound.nativeOnly.refusal;
        surface.sendError(res, req.requestId, refusal, { 'x-switchyard-traffic-class': req.trafficClass });
        return {
          status: 'error',
          httpStatus: refusal.status,
          errorClass: refusal.code,
          served: null,
          usage: null,
          ttftMs: null,
        };
      }
      plan = native;
    }
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
        retryBudgetAvailable: last === null || (!budgetSpent && canPayRetry(ctx, last.target)),
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
          plan = nativePlan(req.billing.filterPlan(planAttempts(backup, ctx.random), backup), req);
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
      const adapter = adapterFor(resolved.provider.kind, surface);
      const timeouts = attemptTimeouts(policy.timeouts, ctx.now(), deadline);
      if (!timeouts) continue; // the deadline passed: the ladder answers deadline_exceeded
      const upstreamProtocol = adapter?.protocols[surface.family];
      // A unary family (embeddings, images) is served through the adapter's handler for it; chat, by the adapter.
      const unary = surface.family === 'chat' ? undefined : adapter?.unary?.[surface.family];
      if (!adapter || upstreamProtocol === undefined || (surface.family !== 'chat' && unary === undefined)) {
        // A provider kind this router cannot speak (for this family): skip the target, as if it had refused the
        // connection.
        const attempt = notSentAttempt(resolved, reason, 'unsupported_provider');
        attempts.push(attempt);
        last = failedWithout(resolved, attempt, 'connect_error', null);
        continue;
      }
      const passthrough = upstreamProtocol === surface.protocol;
      // A body only its own protocol can carry is refused by a target that would need the canonical one.
      const built =
        !passthrough && inbound.canonicalRefusal !== undefined
          ? fail(inbound.canonicalRefusal)
          : unary === undefined
            ? adapter.buildChatCall({
                baseUrl: resolved.provider.baseUrl,
                credential: resolved.account.credential,
                upstreamModel: resolved.target.upstreamModel,
                body: passthrough ? inbound.native.body : inbound.body,
                form: passthrough ? 'native' : 'canonical',
                stream: inbound.stream,
                nativeHeaders: passthrough ? inbound.nativeHeaders : undefined,
              })
            : unary.buildCall({
                baseUrl: resolved.provider.baseUrl,
                credential: resolved.account.credential,
                upstreamModel: resolved.target.upstreamModel,
                body: passthrough ? inbound.native.body : inbound.body,
                form: passthrough ? 'native' : 'canonical',
              });
      if (!built.ok) {
        attempts.push(notSentAttempt(resolved, reason, 'unsupported_feature'));
        // The adapter named a field of the canonical body; the caller knows it by its own protocol's name.
        const { param } = built.error;
        const error =
          passthrough ||
          inbound.canonicalRefusal !== undefined ||
          param === null ||
          surface.callerParam === undefined
            ? built.error
            : { ...built.error, param: surface.callerParam(param) };
        surface.sendError(res, req.requestId, error, {
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
        // The ladder saw the budget available, but the step waited (its backoff) and requests that failed at
        // the same time spent it meanwhile. Not fatal: ask again, now told it cannot pay, so a step that costs
        // nothing (a healthy backup) is still taken; the ladder fails with retry_budget_exhausted only if none.
        budgetSpent = true;
        continue;
      }
      budgetSpent = false;
      if (attempts.length === 0) earnRetryShare(ctx, resolved);
      // Taken right after the ladder saw the target available, with no await in between: it cannot fail here,
      // but for a panic pick, whose open breaker refuses; its outcome still counts in the breaker's window.
      health.breaker(resolved).tryAcquire(ctx.now());
      const sentAt = performance.now();
      const outcome = await upstreamAttempt(ctx, {
        resolved,
        call: req.trace === null ? built.value : req.trace.attempt(resolved, built.value),
        stream: inbound.stream,
        cancel: abort,
        timeouts,
        reason,
      });
      attempts.push(outcome.attempt);
      if (req.trace !== null) req.trace.record(outcome.attempt);

      if (outcome.kind === 'failure') {
        if (paidRetry) retryBudget.release();
        learnFromAttempt(ctx, req.requestId, resolved, outcome.attempt, outcome);
        if (outcome.failure.errorClass === 'client_cancelled') return cancelled(null, null, null);
        const widerModel = contextFallback(current, adapter, outcome, policy, modelsTried);
        const wider = widerModel === null ? undefined : req.table.route(widerModel);
        if (widerModel !== null && wider) {
          // The one client error that may change the model: the prompt did not fit this model's window.
          modelsTried.push(widerModel);
          current = wider;
          plan = nativePlan(req.billing.filterPlan(planAttempts(wider, ctx.random), wider), req);
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

      const served: ServedAttempt = {
        resolved,
        adapter,
        passthrough,
        headers: servedHeaders(
          req.requestId,
          req.trafficClass,
          req.requestLimitHeaders,
          req.tokenLimitHeaders,
          current,
          resolved,
          attempts,
          skips,
        ),
      };
      if (surface.requestIdHeader !== undefined) served.headers[surface.requestIdHeader] = req.requestId;
      if (outcome.kind === 'answer' && unary !== undefined) {
        if (paidRetry) retryBudget.release();
        const relayed = await relayUnaryAnswer(ctx, res, req, served, unary, outcome);
        if ('failure' in relayed) {
          last = relayed;
          continue;
        }
        return relayed;
      }
      if (outcome.kind === 'answer') {
        if (paidRetry) retryBudget.release();
        // Awaited here, not returned as a promise: the finally below must run after the relay, not before it.
        const relayed = await relayAnswer(ctx, res, req, served, outcome);
        if ('failure' in relayed) {
          last = relayed;
          continue;
        }
        return relayed;
      }
      const relayed = await relayStreamAnswer(ctx, res, req, served, outcome, {
        sentAt,
        timeouts,
        cancel: abort,
        paidRetry,
      });
      if ('failure' in relayed) {
        last = relayed;
        continue;
      }
      return relayed;
    }
  } finally {
    clearSharedTimeout(deadlineTimer);
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

/**
 * The targets of `plan` that may serve a request only the fast path can carry (`InboundRequest.nativeOnly`):
 * those whose adapter speaks the surface's protocol, and only the pinned one when the request is pinned. The
 * plan itself for every other request.
 */
function nativePlan(plan: ResolvedTarget[], req: ForwardRequest): ResolvedTarget[] {
  const only = req.inbound.nativeOnly;
  if (only === undefined) return plan;
  const { surface } = req;
  return plan.filter(
    (t) =>
      (only.targetId === null || t.target.id === only.targetId) &&
      adapterFor(t.provider.kind, surface)?.protocols[surface.family] === surface.protocol,
  );
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
