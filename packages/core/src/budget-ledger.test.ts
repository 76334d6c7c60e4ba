import { describe, expect, it } from 'vitest';
import { type BudgetDefinition, DEFAULT_ALERT_THRESHOLDS } from './budget-definition';
import { BudgetLedger } from './budget-ledger';

const DOLLAR = 1_000_000n;
const CENTS_5 = 50_000n;
const T0 = Date.parse('2026-11-22T08:00:00Z');
const LEASE = 60_000;

function budget(overrides: Partial<BudgetDefinition> = {}): BudgetDefinition {
  return {
    id: 'bud_key',
    name: 'Key daily',
    scope: 'key',
    scopeId: 'key_1',
    period: 'daily',
    mode: 'hard',
    limitMicros: DOLLAR,
    alertThresholds: DEFAULT_ALERT_THRESHOLDS,
    timeZone: 'UTC',
    ...overrides,
  };
}

/** Deterministic PRNG (mulberry32) for shuffled interleavings. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('BudgetLedger: the budget race', () => {
  it('admits exactly 20 of 200 concurrent $0.05 reservations against $1.00, and spend ends at $1.00', async () => {
    const ledger = new BudgetLedger([budget()]);
    // 200 requests in flight at once: each reserves after an arbitrary await, none settles before all reserved.
    const random = prng(42);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, async () => {
        for (let i = Math.floor(random() * 5); i > 0; i--) await Promise.resolve();
        return ledger.reserve(['bud_key'], CENTS_5, LEASE, T0);
      }),
    );
    const admitted = outcomes.filter((o) => o.ok);
    const refused = outcomes.filter((o) => !o.ok);
    expect(admitted).toHaveLength(20);
    expect(refused).toHaveLength(180);
    expect(ledger.reserved('bud_key')).toBe(DOLLAR);
    for (const o of refused) {
      if (o.ok) continue;
      expect(o.error.budget.id).toBe('bud_key');
      expect(o.error.remainingMicros).toBe(0n);
    }
    for (const o of admitted)
      if (o.ok) expect(ledger.settle(o.value.reservationId, CENTS_5, T0 + 1).ok).toBe(true);
    expect(ledger.spent('bud_key')).toBe(DOLLAR);
    expect(ledger.reserved('bud_key')).toBe(0n);
    expect(ledger.reserve(['bud_key'], 1n, LEASE, T0 + 2).ok).toBe(false);
  });

  it('leaves spend unchanged after 100 failed (released) requests', async () => {
    const ledger = new BudgetLedger([budget()]);
    ledger.loadSpent('bud_key', 400_000n, T0);
    const random = prng(7);
    const released = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const r = ledger.reserve(['bud_key'], CENTS_5, LEASE, T0);
        for (let i = Math.floor(random() * 5); i > 0; i--) await Promise.resolve();
        return r.ok ? ledger.release(r.value.reservationId) : false;
      }),
    );
    // At most 12 fit at once ($0.60 left); the rest were refused, and nothing was spent either way.
    expect(released.filter(Boolean).length).toBeGreaterThanOrEqual(12);
    expect(ledger.spent('bud_key')).toBe(400_000n);
    expect(ledger.reserved('bud_key')).toBe(0n);
    expect(ledger.status('bud_key', T0)?.reservations).toBe(0);
  });

  it('never lets spent + reserved pass a hard limit under a random mix of operations', () => {
    const random = prng(2026);
    const ledger = new BudgetLedger([budget({ limitMicros: 3n * DOLLAR })]);
    const open: string[] = [];
    let now = T0;
    for (let step = 0; step < 5_000; step++) {
      now += Math.floor(random() * 50);
      const roll = random();
      if (roll < 0.5) {
        const amount = BigInt(Math.floor(random() * 200_000));
        const r = ledger.reserve(['bud_key'], amount, 1_000 + Math.floor(random() * 5_000), now);
        if (r.ok) open.push(`${r.value.reservationId}:${amount}`);
      } else if (open.length > 0) {
        const [id, amount] = (open.splice(Math.floor(random() * open.length), 1)[0] ?? ':0').split(':');
        if (roll < 0.8)
          ledger.settle(id ?? '', (BigInt(amount ?? 0) * BigInt(Math.floor(random() * 101))) / 100n, now);
        else if (roll < 0.95) ledger.release(id ?? '');
        else ledger.expire(now);
      }
      expect(ledger.spent('bud_key', now) + ledger.reserved('bud_key', now)).toBeLessThanOrEqual(3n * DOLLAR);
      expect(ledger.reserved('bud_key', now)).toBeGreaterThanOrEqual(0n);
    }
  });
});

describe('BudgetLedger: reserve', () => {
  it('refuses a request that would overrun a hard budget, naming the first one and listing all', () => {
    const ledger = new BudgetLedger([
      budget(),
      budget({ id: 'bud_team', name: 'Team', scope: 'team', scopeId: 'team_1', limitMicros: 500_000n }),
      budget({
        id: 'bud_global',
        name: 'Global',
        scope: 'global',
        scopeId: null,
        limitMicros: 100n * DOLLAR,
      }),
    ]);
    const r = ledger.reserve(['bud_global', 'bud_team', 'bud_key'], 600_000n, LEASE, T0);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.budget.name).toBe('Team');
    expect(r.error.exceededBudgetIds).toEqual(['bud_team']);
    expect(r.error.requestedMicros).toBe(600_000n);
    expect(r.error.remainingMicros).toBe(500_000n);
    // A refusal holds nothing anywhere.
    expect(ledger.reserved('bud_global')).toBe(0n);
    expect(ledger.reserved('bud_key')).toBe(0n);
  });

  it('admits a reservation that exactly fills the limit', () => {
    const ledger = new BudgetLedger([budget()]);
    expect(ledger.reserve(['bud_key'], DOLLAR, LEASE, T0).ok).toBe(true);
    expect(ledger.reserve(['bud_key'], 0n, LEASE, T0).ok).toBe(true);
    expect(ledger.reserve(['bud_key'], 1n, LEASE, T0).ok).toBe(false);
  });

  it('never refuses for a soft budget, and warns about thresholds the projected spend reaches', () => {
    const ledger = new BudgetLedger([budget({ mode: 'soft' })]);
    ledger.loadSpent('bud_key', 700_000n, T0);
    const r = ledger.reserve(['bud_key'], 500_000n, LEASE, T0);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // 50 was reached by the loaded spend already (marked fired); 80 and 100 are projected.
    expect(r.value.warnings.map((w) => [w.threshold, w.projectedMicros])).toEqual([
      [80, 1_200_000n],
      [100, 1_200_000n],
    ]);
    expect(ledger.reserved('bud_key')).toBe(500_000n);
  });

  it('skips and lists budget ids that are not configured', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key', 'bud_gone', 'bud_key'], 10n, LEASE, T0);
    expect(r.ok && r.value.unknownBudgetIds).toEqual(['bud_gone']);
    expect(ledger.reserved('bud_key')).toBe(10n);
  });

  it('refuses a negative amount or a non-positive lease (caller bugs)', () => {
    const ledger = new BudgetLedger([budget()]);
    expect(() => ledger.reserve(['bud_key'], -1n, LEASE, T0)).toThrow(RangeError);
    expect(() => ledger.reserve(['bud_key'], 1n, 0, T0)).toThrow(RangeError);
  });

  it('gives each reservation its own id, from an injected generator when given', () => {
    let n = 0;
    const ledger = new BudgetLedger([budget()], { newId: () => `rsv_test_${++n}` });
    const a = ledger.reserve(['bud_key'], 1n, LEASE, T0);
    const b = ledger.reserve(['bud_key'], 1n, LEASE, T0);
    expect([a.ok && a.value.reservationId, b.ok && b.value.reservationId]).toEqual([
      'rsv_test_1',
      'rsv_test_2',
    ]);
    expect(a.ok && a.value.expiresAt).toBe(T0 + LEASE);
  });
});

describe('BudgetLedger: settle and release', () => {
  it('settles to the actual cost, releasing the hold, even when the actual exceeds the estimate', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key'], 900_000n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    const s = ledger.settle(r.value.reservationId, 1_100_000n, T0 + 10);
    expect(s.ok).toBe(true);
    // Over the limit only by actual − estimate; then everything is refused.
    expect(ledger.spent('bud_key')).toBe(1_100_000n);
    expect(ledger.reserved('bud_key')).toBe(0n);
    expect(ledger.status('bud_key', T0 + 10)?.remainingMicros).toBe(0n);
    expect(ledger.reserve(['bud_key'], 0n, LEASE, T0 + 20).ok).toBe(false);
  });

  it('settles or releases a reservation once only', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key'], 100n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    expect(ledger.settle(r.value.reservationId, 100n, T0).ok).toBe(true);
    expect(ledger.settle(r.value.reservationId, 100n, T0)).toEqual({
      ok: false,
      error: { reason: 'unknown_reservation', reservationId: r.value.reservationId },
    });
    expect(ledger.release(r.value.reservationId)).toBe(false);
    expect(ledger.spent('bud_key')).toBe(100n);
  });

  it('fires each alert threshold once per period, from actual spend only', () => {
    const ledger = new BudgetLedger([budget({ alertThresholds: [50, 80, 100] })]);
    const spend = (amount: bigint, at: number) => {
      const r = ledger.reserve(['bud_key'], amount, LEASE, at);
      if (!r.ok) throw new Error('refused');
      const s = ledger.settle(r.value.reservationId, amount, at);
      return s.ok ? s.value.events.map((e) => e.threshold) : [];
    };
    expect(spend(400_000n, T0)).toEqual([]);
    expect(spend(100_000n, T0)).toEqual([50]);
    expect(spend(100_000n, T0)).toEqual([]);
    expect(spend(400_000n, T0)).toEqual([80, 100]);
    // Released reservations never alert.
    const r = ledger.reserve(['bud_key'], 0n, LEASE, T0);
    expect(r.ok && ledger.release(r.value.reservationId)).toBe(true);
    // Next day: spend restarts at zero and the thresholds re-arm.
    const tomorrow = T0 + 86_400_000;
    expect(ledger.spent('bud_key', tomorrow)).toBe(0n);
    expect(spend(500_000n, tomorrow)).toEqual([50]);
  });

  it('describes an alert with the budget, period and figures', () => {
    const ledger = new BudgetLedger([budget({ mode: 'soft' })]);
    const r = ledger.reserve(['bud_key'], 0n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    const s = ledger.settle(r.value.reservationId, 2n * DOLLAR, T0 + 5);
    expect(s.ok && s.value.events[2]).toEqual({
      budgetId: 'bud_key',
      budgetName: 'Key daily',
      mode: 'soft',
      threshold: 100,
      spentMicros: 2n * DOLLAR,
      limitMicros: DOLLAR,
      periodStart: Date.parse('2026-11-22T00:00:00Z'),
      periodEnd: Date.parse('2026-11-23T00:00:00Z'),
      at: T0 + 5,
    });
  });
});

describe('BudgetLedger: periods', () => {
  it('charges a reservation to the period it was made in, not the next one', () => {
    const ledger = new BudgetLedger([budget()]);
    const lateEvening = Date.parse('2026-11-22T23:59:59Z');
    const r = ledger.reserve(['bud_key'], 300_000n, LEASE, lateEvening);
    if (!r.ok) throw new Error('refused');
    const nextDay = Date.parse('2026-11-23T00:00:30Z');
    expect(ledger.reserved('bud_key', nextDay)).toBe(0n);
    expect(ledger.settle(r.value.reservationId, 300_000n, nextDay).ok).toBe(true);
    expect(ledger.spent('bud_key', nextDay)).toBe(0n);
    expect(ledger.reserved('bud_key', nextDay)).toBe(0n);
  });

  it('never resets a total budget, and never rolls back when the clock steps backwards', () => {
    const ledger = new BudgetLedger([budget({ period: 'total' }), budget({ id: 'bud_day' })]);
    ledger.charge(['bud_key', 'bud_day'], 100n, T0);
    expect(ledger.spent('bud_key', T0 + 400 * 86_400_000)).toBe(100n);
    expect(ledger.spent('bud_day', T0 - 86_400_000)).toBe(100n);
  });

  it('keeps spend across a config reload, and restarts a budget whose period changed', () => {
    const ledger = new BudgetLedger([budget(), budget({ id: 'bud_b' })]);
    ledger.charge(['bud_key', 'bud_b'], 500n, T0);
    ledger.setBudgets([budget({ limitMicros: 2n * DOLLAR }), budget({ id: 'bud_b', period: 'monthly' })], T0);
    expect(ledger.spent('bud_key', T0)).toBe(500n);
    expect(ledger.status('bud_key', T0)?.budget.limitMicros).toBe(2n * DOLLAR);
    expect(ledger.spent('bud_b', T0)).toBe(0n);
    ledger.setBudgets([], T0);
    expect(ledger.status('bud_key', T0)).toBeUndefined();
  });

  it('alerts against the limit and thresholds of a reloaded budget, not the ones it was created with', () => {
    const ledger = new BudgetLedger([budget({ mode: 'soft', alertThresholds: [50, 80, 100] })]);
    const spend = (amount: bigint) => {
      const r = ledger.reserve(['bud_key'], amount, LEASE, T0);
      if (!r.ok) throw new Error('refused');
      const warned = r.value.warnings.map((w) => w.threshold);
      const s = ledger.settle(r.value.reservationId, amount, T0);
      return { warned, fired: s.ok ? s.value.events.map((e) => [e.threshold, e.limitMicros]) : [] };
    };
    expect(spend(400_000n)).toEqual({ warned: [], fired: [] });
    // Same period: spend is kept; the doubled limit and new thresholds apply from now on.
    ledger.setBudgets([budget({ mode: 'soft', limitMicros: 2n * DOLLAR, alertThresholds: [25, 90] })], T0);
    expect(spend(99_999n)).toEqual({ warned: [], fired: [] });
    expect(spend(1n)).toEqual({ warned: [25], fired: [[25, 2n * DOLLAR]] });
    expect(spend(1_299_999n)).toEqual({ warned: [], fired: [] });
    expect(spend(1n)).toEqual({ warned: [90], fired: [[90, 2n * DOLLAR]] });
  });

  it('does not release an old-period hold into a restarted budget', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key'], 400_000n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    ledger.setBudgets([budget({ period: 'weekly' })], T0);
    ledger.reserve(['bud_key'], 100_000n, LEASE, T0);
    expect(ledger.release(r.value.reservationId)).toBe(true);
    expect(ledger.reserved('bud_key')).toBe(100_000n);
  });
});

describe('BudgetLedger: leases', () => {
  it('expires reservations past their lease, returning the hold, so a lost request cannot leak budget', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key'], DOLLAR, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    expect(ledger.expire(T0 + LEASE - 1)).toEqual([]);
    expect(ledger.reserve(['bud_key'], 1n, LEASE, T0 + LEASE - 1).ok).toBe(false);
    expect(ledger.expire(T0 + LEASE)).toEqual([r.value.reservationId]);
    expect(ledger.reserved('bud_key')).toBe(0n);
  });

  it('expires lazily on reserve, without an explicit expire call', () => {
    const ledger = new BudgetLedger([budget()]);
    ledger.reserve(['bud_key'], DOLLAR, LEASE, T0);
    expect(ledger.reserve(['bud_key'], DOLLAR, LEASE, T0 + LEASE).ok).toBe(true);
  });

  it('still records the spend of a request settled shortly after its lease ran out', () => {
    const ledger = new BudgetLedger([budget()], { lateSettleMs: 10_000 });
    const r = ledger.reserve(['bud_key'], 300_000n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    ledger.expire(T0 + LEASE);
    const s = ledger.settle(r.value.reservationId, 250_000n, T0 + LEASE + 5_000);
    expect(s).toEqual({ ok: true, value: { events: [], late: true } });
    expect(ledger.spent('bud_key')).toBe(250_000n);
    expect(ledger.reserved('bud_key')).toBe(0n);
  });

  it('forgets expired reservations after the late-settle window', () => {
    const ledger = new BudgetLedger([budget()], { lateSettleMs: 10_000 });
    const r = ledger.reserve(['bud_key'], 300_000n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    ledger.expire(T0 + LEASE);
    ledger.expire(T0 + LEASE + 10_000);
    expect(ledger.settle(r.value.reservationId, 1n, T0 + LEASE + 10_001).ok).toBe(false);
  });

  it('renews a live lease for a long-running stream', () => {
    const ledger = new BudgetLedger([budget()]);
    const r = ledger.reserve(['bud_key'], 10n, LEASE, T0);
    if (!r.ok) throw new Error('refused');
    expect(ledger.renew(r.value.reservationId, LEASE, T0 + 50_000)).toBe(true);
    expect(ledger.expire(T0 + LEASE)).toEqual([]);
    expect(ledger.expire(T0 + 50_000 + LEASE)).toEqual([r.value.reservationId]);
    expect(ledger.renew(r.value.reservationId, LEASE, T0 + 200_000)).toBe(false);
  });
});

describe('BudgetLedger: charge and loadSpent', () => {
  it('charges spend without a reservation, firing alerts, even past a hard limit', () => {
    const ledger = new BudgetLedger([budget()]);
    expect(ledger.charge(['bud_key', 'bud_unknown'], 1_500_000n, T0).map((e) => e.threshold)).toEqual([
      50, 80, 100,
    ]);
    expect(ledger.spent('bud_key')).toBe(1_500_000n);
  });

  it('loads durable spend without re-alerting thresholds already passed', () => {
    const ledger = new BudgetLedger([budget()]);
    ledger.loadSpent('bud_key', 850_000n, T0);
    expect(ledger.charge(['bud_key'], 100_000n, T0)).toEqual([]);
    expect(ledger.charge(['bud_key'], 50_000n, T0).map((e) => e.threshold)).toEqual([100]);
  });
});
