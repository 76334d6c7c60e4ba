import type { RouteRecord, UpstreamAccountRecord } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { UpstreamHealth } from './upstream-health';

function account(epoch: number, rejectedAt: number | null = null): UpstreamAccountRecord {
  return {
    id: 'acc_1',
    providerId: 'prv_1',
    name: 'a',
    credential: 'sk',
    weight: 1,
    priority: 0,
    enabled: true,
    credentialRejectedAt: rejectedAt,
    credentialEpoch: epoch,
  };
}

describe('UpstreamHealth credential marks', () => {
  it('keeps a mark of its own across a reload that does not show it yet', () => {
    const health = new UpstreamHealth();
    expect(health.markCredentialRejected(account(0), 1_000)).toBe(true);
    health.syncAccounts([account(0)], 2_000);
    expect(health.isCredentialRejected('acc_1')).toBe(true);
  });

  it('drops its own mark at once when the snapshot shows a reset (a newer epoch)', () => {
    const health = new UpstreamHealth();
    health.markCredentialRejected(account(3), 1_000);
    health.syncAccounts([account(4)], 1_500);
    expect(health.isCredentialRejected('acc_1')).toBe(false);
    // …and does not bring it back on a later reload.
    health.syncAccounts([account(4)], 2_000);
    expect(health.isCredentialRejected('acc_1')).toBe(false);
  });

  it('ignores a 401 of an attempt that started before a reset it has already loaded', () => {
    const health = new UpstreamHealth();
    health.syncAccounts([account(5)], 1_000);
    expect(health.markCredentialRejected(account(4), 1_100)).toBe(false);
    expect(health.isCredentialRejected('acc_1')).toBe(false);
    expect(health.markCredentialRejected(account(5), 1_200)).toBe(true);
  });

  it('follows the stored mark once the snapshot has it', () => {
    const health = new UpstreamHealth();
    health.markCredentialRejected(account(0), 1_000);
    health.syncAccounts([account(0, 1_000)], 1_200);
    expect(health.isCredentialRejected('acc_1')).toBe(true);
    health.syncAccounts([account(1)], 1_400);
    expect(health.isCredentialRejected('acc_1')).toBe(false);
  });
});

describe('UpstreamHealth breaker thresholds', () => {
  it('gives the breakers of a route with its own thresholds those thresholds, and the defaults elsewhere', () => {
    const health = new UpstreamHealth({ consecutiveFailures: 5 });
    const before = health.breakers.get('acc_1', 'm');
    const route: RouteRecord = {
      id: 'rt_1',
      publicModel: 'r',
      aliases: [],
      enabled: true,
      backupModels: [],
      contextFallbackModel: null,
      policies: {},
      missingPricePolicy: 'allow',
      allowCostlierFallback: true,
      targets: [{ id: 't', accountId: 'acc_1', upstreamModel: 'm', tier: 0, weight: 1, enabled: true }],
      breaker: { consecutiveFailures: 2, coolDownMs: 60_000 },
    };
    health.syncRoutes([route]);
    expect(before.config.consecutiveFailures).toBe(2);
    expect(before.config.coolDownMs).toBe(60_000);
    expect(health.breakers.get('acc_2', 'm').config.consecutiveFailures).toBe(5);
    before.onFailure(1);
    before.onFailure(2);
    expect(before.state(3)).toBe('open');
    health.syncRoutes([]);
    expect(before.config.consecutiveFailures).toBe(5);
  });
});
