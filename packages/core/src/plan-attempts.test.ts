import { describe, expect, it } from 'vitest';
import type { ConfigSnapshot, RouteTargetRecord } from './config-snapshot';
import { planAttempts } from './plan-attempts';
import { RoutingTable } from './routing-table';

function target(id: string, tier: number, weight: number, enabled = true): RouteTargetRecord {
  return { id, accountId: `acc_${id}`, upstreamModel: 'm', tier, weight, enabled };
}

/** Per-account settings that differ from weight 1, priority 0. */
type AccountSettings = Record<string, { weight?: number; priority?: number }>;

function table(
  targets: RouteTargetRecord[],
  disabledAccounts: string[] = [],
  accountSettings: AccountSettings = {},
): RoutingTable {
  const snapshot: ConfigSnapshot = {
    keys: [],
    providers: [{ id: 'prv_1', name: 'p', kind: 'openai_compatible', baseUrl: 'http://x/v1', enabled: true }],
    accounts: targets.map((t) => ({
      id: t.accountId,
      providerId: 'prv_1',
      name: t.accountId,
      credential: 'c',
      weight: accountSettings[t.accountId]?.weight ?? 1,
      priority: accountSettings[t.accountId]?.priority ?? 0,
      enabled: !disabledAccounts.includes(t.accountId),
      credentialRejectedAt: null,
    })),
    routes: [
      {
        id: 'rt_1',
        publicModel: 'chat',
        aliases: ['chat-alias'],
        enabled: true,
        targets,
        backupModels: [],
        contextFallbackModel: null,
        missingPricePolicy: 'allow',
        allowCostlierFallback: true,
        policies: {},
      },
    ],
    prices: [],
    budgets: [],
    loadedAt: 0,
  };
  return new RoutingTable(snapshot);
}

/** Deterministic LCG so the weighted split is reproducible. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

describe('planAttempts', () => {
  it('orders tiers lowest first and keeps every usable target once', () => {
    const route = table([target('b', 1, 1), target('a', 0, 1), target('c', 0, 3)]).route('chat');
    const plan = planAttempts(route!, seeded(1)).map((t) => t.target.id);
    expect(plan).toHaveLength(3);
    expect(plan[2]).toBe('b');
    expect(new Set(plan.slice(0, 2))).toEqual(new Set(['a', 'c']));
  });

  it('splits first picks by weight within tolerance over 10,000 plans', () => {
    const route = table([target('a', 0, 1), target('b', 0, 3)]).route('chat')!;
    const random = seeded(42);
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (planAttempts(route, random)[0]?.target.id === 'b') b++;
    expect(b / 10_000).toBeGreaterThan(0.73);
    expect(b / 10_000).toBeLessThan(0.77);
  });

  it('never plans disabled targets or targets of disabled accounts', () => {
    const route = table([target('a', 0, 1, false), target('b', 0, 1), target('c', 0, 1)], ['acc_c']).route(
      'chat',
    )!;
    for (let i = 0; i < 50; i++)
      expect(planAttempts(route, Math.random).map((t) => t.target.id)).toEqual(['b']);
  });

  it('an account weight of 0 drains every target on it', () => {
    const t = table([target('a', 0, 5), target('b', 0, 1)], [], { acc_a: { weight: 0 } });
    for (let i = 0; i < 50; i++)
      expect(planAttempts(t.route('chat')!, Math.random).map((x) => x.target.id)).toEqual(['b']);
    expect(t.target('a')).toBeUndefined();
    expect(t.target('b')?.account.id).toBe('acc_b');
  });

  it('multiplies target weight by account weight (1 × 3 against 1 × 1)', () => {
    const route = table([target('a', 0, 1), target('b', 0, 1)], [], { acc_b: { weight: 3 } }).route('chat')!;
    const random = seeded(7);
    let b = 0;
    for (let i = 0; i < 10_000; i++) if (planAttempts(route, random)[0]?.target.id === 'b') b++;
    expect(b / 10_000).toBeGreaterThan(0.73);
    expect(b / 10_000).toBeLessThan(0.77);
  });

  it('orders accounts by priority inside a tier (lower first), and tiers before priorities', () => {
    const route = table([target('late', 0, 9), target('early', 0, 1), target('lower-tier', 1, 1)], [], {
      acc_late: { priority: 2 },
      'acc_lower-tier': { priority: 0 },
    }).route('chat')!;
    for (let i = 0; i < 50; i++)
      expect(planAttempts(route, Math.random).map((x) => x.target.id)).toEqual([
        'early',
        'late',
        'lower-tier',
      ]);
  });

  it('resolves aliases to the same route', () => {
    const t = table([target('a', 0, 1)]);
    expect(t.route('chat-alias')?.route.id).toBe('rt_1');
    expect(t.route('unknown')).toBeUndefined();
    expect(t.models()).toEqual(['chat']);
  });
});
