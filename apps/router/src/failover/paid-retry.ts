import type { ResolvedTarget } from '@switchyard/core';
import type { RouterContext } from '../router-context';

/**
 * Whether a retry caused by `failed` could be paid now: a concurrent-retry slot of the process (RetryBudget)
 * and a token of the failed upstream's own bucket (RetryTokenRegistry). Takes nothing.
 */
export function canPayRetry(ctx: RouterContext, failed: ResolvedTarget): boolean {
  const { retryBudget, retryTokens, inFlight } = ctx.failover;
  return (
    retryBudget.available(inFlight) &&
    retryTokens.get(failed.account.id, failed.target.upstreamModel).available()
  );
}

/** Takes the slot and the token of a retry caused by `failed`, both or neither; release the slot after it. */
export function payRetry(ctx: RouterContext, failed: ResolvedTarget): boolean {
  const { retryBudget, retryTokens } = ctx.failover;
  if (!retryBudget.tryAcquire(ctx.failover.inFlight)) return false;
  if (retryTokens.get(failed.account.id, failed.target.upstreamModel).tryWithdraw()) return true;
  retryBudget.release();
  return false;
}

/** A request's first attempt goes to `target`: its upstream's retry bucket earns its share. */
export function earnRetryShare(ctx: RouterContext, target: ResolvedTarget): void {
  ctx.failover.retryTokens.get(target.account.id, target.target.upstreamModel).onRequest();
}
