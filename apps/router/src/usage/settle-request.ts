import type { TokenUsage, UsageEventRecord } from '@switchyard/core';
import type { BillingTicket } from '../billing/billing';
import type { RateLimitAdmission } from '../limits/request-rate-limits';
import type { RouterContext } from '../router-context';

/**
 * Closes the books of one admitted request: settles its budget hold to its cost, corrects its TPM reservation
 * to the tokens it used, and records its usage event. Each step runs even when another throws: a bug in one
 * must not leave a hold standing until its lease, a TPM reservation uncorrected, or a served request without
 * its row. A step that throws is logged with the request id.
 */
export function settleRequest(
  ctx: RouterContext,
  event: UsageEventRecord,
  billing: BillingTicket,
  rateLimit: RateLimitAdmission,
  usage: TokenUsage | null,
  served: boolean,
): void {
  // Three try blocks rather than a helper taking a closure per step: this runs once per request.
  try {
    billing.finish(event.costMicros);
  } catch (error) {
    stepFailed(ctx, event.requestId, 'budget', error);
  }
  try {
    ctx.rateLimits.settle(rateLimit, usage, served, ctx.now());
  } catch (error) {
    stepFailed(ctx, event.requestId, 'rate limit', error);
  }
  try {
    ctx.usage.record(event);
  } catch (error) {
    stepFailed(ctx, event.requestId, 'usage', error);
  }
}

function stepFailed(ctx: RouterContext, requestId: string, step: string, error: unknown): void {
  ctx.logger.error(`settle: the ${step} step failed`, {
    requestId,
    error: error instanceof Error ? error.message : String(error),
  });
}
