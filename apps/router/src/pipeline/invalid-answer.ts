import type { AttemptRecord, ResolvedTarget } from '@switchyard/core';
import type { RouterContext } from '../router-context';
import { failedWithout, type LastFailure } from './attempt-records';
import { learnFromAttempt } from './learn-from-attempt';

/**
 * A 2xx answer refused before anything was sent: the attempt's `invalid_response`, learnt from, for the ladder to
 * go past. `notJson`: the body is not a JSON object, told with the upstream's own status (as any 2xx that is not the
 * answer asked for); else the adapter could not translate it.
 */
export function invalidAnswer(
  ctx: RouterContext,
  requestId: string,
  resolved: ResolvedTarget,
  attempt: AttemptRecord,
  notJson: boolean,
): LastFailure {
  attempt.errorClass = 'invalid_response';
  const failed = failedWithout(resolved, attempt, 'invalid_response', notJson ? attempt.status : 200);
  learnFromAttempt(ctx, requestId, resolved, attempt, failed.outcome);
  return failed;
}
