import type { CanonicalAnswerContext, ResolvedTarget } from '@switchyard/core';
import type { RouterContext } from '../router-context';

/**
 * What a translated answer names when the upstream's native one does not: the target's model, the router's clock,
 * an id from the request's. Built only when translating.
 */
export function answerContext(
  ctx: RouterContext,
  requestId: string,
  resolved: ResolvedTarget,
): CanonicalAnswerContext {
  return {
    model: resolved.target.upstreamModel,
    created: Math.floor(ctx.now() / 1000),
    fallbackId: `chatcmpl-${requestId.slice('req_'.length)}`,
  };
}
