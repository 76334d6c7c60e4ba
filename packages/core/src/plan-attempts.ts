import type { CompiledRoute, ResolvedTarget } from './routing-table';

/**
 * Orders a route's targets for one request: preference groups in order (tier, then account priority; see
 * CompiledRoute); inside a group a weighted random permutation (weighted sampling without replacement), so the
 * first pick follows the weights and the rest are the failover order. A target's weight is its own times its
 * account's, so an account's weight scales every target on it. `random` returns [0, 1) and is injected to keep
 * this pure and testable.
 */
export function planAttempts(route: CompiledRoute, random: () => number): ResolvedTarget[] {
  let size = 0;
  for (const tier of route.tiers) size += tier.length;
  // Sized, not pushed into `[]`: an empty array's first push reserves 17 slots (152 bytes), once per request.
  const plan = new Array<ResolvedTarget>(size);
  let next = 0;
  for (const tier of route.tiers) {
    if (tier.length === 1) {
      plan[next++] = tier[0] as ResolvedTarget;
      continue;
    }
    const pool = tier.slice();
    let total = pool.reduce((sum, t) => sum + weightOf(t), 0);
    while (pool.length > 0) {
      let pick = random() * total;
      let index = 0;
      for (; index < pool.length - 1; index++) {
        pick -= weightOf(pool[index] as ResolvedTarget);
        if (pick < 0) break;
      }
      const [chosen] = pool.splice(index, 1) as [ResolvedTarget];
      total -= weightOf(chosen);
      plan[next++] = chosen;
    }
  }
  return plan;
}

/** Share of its group's traffic a target gets: its weight times its account's. */
function weightOf(resolved: ResolvedTarget): number {
  return resolved.target.weight * resolved.account.weight;
}
