import { type ConfigSnapshot, RoutingTable } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { LadderHealthView } from './ladder-health-view';
import { UpstreamHealth } from './upstream-health';

function snapshot(account: { enabled?: boolean; weight?: number; credential?: string } = {}): ConfigSnapshot {
  return {
    keys: [],
    providers: [{ id: 'prv_1', name: 'p', kind: 'openai_compatible', baseUrl: 'http://x/v1', enabled: true }],
    accounts: [
      {
        id: 'acc_1',
        providerId: 'prv_1',
        name: 'a',
        credential: account.credential ?? 'old-secret',
        weight: account.weight ?? 1,
        priority: 0,
        enabled: account.enabled ?? true,
        credentialRejectedAt: null,
      },
    ],
    routes: [
      {
        id: 'rt_1',
        publicModel: 'chat',
        aliases: [],
        enabled: true,
        targets: [{ id: 'tgt_1', accountId: 'acc_1', upstreamModel: 'm', tier: 0, weight: 1, enabled: true }],
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
}

describe('LadderHealthView', () => {
  it('answers from the current snapshot, not the one a request was planned on', () => {
    const planned = new RoutingTable(snapshot());
    let current = planned;
    const view = new LadderHealthView(new UpstreamHealth(), () => current, 0.1);
    const target = planned.route('chat')?.tiers[0]?.[0];
    if (!target) throw new Error('fixture has no target');
    expect(view.at(0).health(target)).toEqual({ available: true });

    current = new RoutingTable(snapshot({ credential: 'new-secret' }));
    expect(view.live(target)?.account.credential).toBe('new-secret');

    current = new RoutingTable(snapshot({ enabled: false }));
    expect(view.at(0).health(target)).toEqual({ available: false, reason: 'disabled', availableInMs: null });
    current = new RoutingTable(snapshot({ weight: 0 }));
    expect(view.at(0).health(target)).toMatchObject({ available: false, reason: 'disabled' });
    expect(view.live(target)).toBeUndefined();
  });

  it('reads reliability and success rate from the target’s breaker', () => {
    const health = new UpstreamHealth({ consecutiveFailures: 2 });
    const table = new RoutingTable(snapshot());
    const view = new LadderHealthView(health, () => table, 0.25);
    const target = table.route('chat')?.tiers[0]?.[0];
    if (!target) throw new Error('fixture has no target');
    expect(view.at(0).isReliable(target)).toBe(true);
    expect(view.successRate(target)).toBeNull();
    const breaker = health.breaker(target);
    breaker.onSuccess(0);
    breaker.onFailure(0);
    breaker.onFailure(0);
    expect(view.at(0).health(target)).toMatchObject({ available: false, reason: 'circuit_open' });
    expect(view.isReliable(target)).toBe(false);
    expect(view.successRate(target)).toBeCloseTo(1 / 3);
    expect(view.panicMinSuccessRate).toBe(0.25);
  });
});
