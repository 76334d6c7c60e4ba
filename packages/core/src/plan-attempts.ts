import type { CompiledRoute, ResolvedTarget } from './routing-table';

/**
 * Orders a route's targets for one request: tiers in order; inside a tier a weighted random permutation
 * (weighted sampling without replacement), so the first pick follows the weights and the rest are the
 * failover order. `random` returns [0, 1) and is injected to keep this pure and testable.
 */
export function planAttempts(route: CompiledRoute, random: () => number): ResolvedTarget[] {
  const plan: ResolvedTarget[] = [];
  for (const tier of route.tiers) {
    if (tier.length === 1) {
      plan.push(tier[0] as ResolvedTarget);
      continue;
    }
    const pool = tier.slice();
    let total = pool.reduce((sum, t) => sum + t.target.weight, 0);
    while (pool.length > 0) {
      let pick = random() * total;
      let index = 0;
      for (; index < pool.length - 1; index++) {
        pick -= (pool[index] as ResolvedTarget).target.weight;
        if (pick < 0) break;
      }
      const [chosen] = pool.splice(index, 1) as [ResolvedTarget];
      total -= chosen.target.weight;
      plan.push(chosen);
    }
  }
  return plan;
}
