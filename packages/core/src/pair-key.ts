/** Composite keys remembered at most; past it the memo starts over (keys are equal strings either way). */
const MAX_PAIRS = 4_096;

let byAccount = new Map<string, Map<string, string>>();
let pairs = 0;

/**
 * The Map key of one (account, upstream model) pair: `accountId` NUL `model`. Remembered, so the hot path's
 * lookups (breaker, cool-down, retry bucket, health stats: several a request) reuse one string whose hash V8 has
 * already computed, instead of building and hashing a new one each time; the account id and model come from the
 * configuration snapshot, whose strings are hashed once. The same text as building it afresh, so maps keyed by
 * either agree.
 */
export function pairKey(accountId: string, model: string): string {
  const known = byAccount.get(accountId)?.get(model);
  if (known !== undefined) return known;
  if (pairs >= MAX_PAIRS) {
    byAccount = new Map();
    pairs = 0;
  }
  const key = `${accountId}\u0000${model}`;
  let byModel = byAccount.get(accountId);
  if (byModel === undefined) {
    byModel = new Map();
    byAccount.set(accountId, byModel);
  }
  byModel.set(model, key);
  pairs++;
  return key;
}
