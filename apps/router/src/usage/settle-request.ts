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
  guarded(ctx, event.requestId, 'budget', () => billing.finish(event.costMicros));
  guarded(ctx, event.requestId, 'rate limit', () =>
    ctx.rateLimits.settle(rateLimit, usage, served, ctx.now()),
  );
  guarded(ctx, event.requestId, 'usage', () => ctx.usage.record(event));
}

function guarded(ctx: RouterContext, requestId: string, step: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    ctx.logger.error(`settle: the ${step} step failed`, {
      requestId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
