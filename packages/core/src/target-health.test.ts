import { describe, expect, it } from 'vitest';
import { CircuitBreakerRegistry } from './circuit-breaker';
import { CooldownRegistry } from './cooldown-registry';
import type { ResolvedTarget } from './routing-table';
import { targetHealth } from './target-health';

function resolved(flags: { target?: boolean; account?: boolean; provider?: boolean } = {}): ResolvedTarget {
  return {
    target: {
      id: 'tgt_1',
      accountId: 'acc_1',
      upstreamModel: 'gpt',
      tier: 0,
      weight: 1,
      enabled: flags.target ?? true,
    },
    account: {
      id: 'acc_1',
      providerId: 'prv_1',
      name: 'one',
      credential: 'c',
      weight: 1,
      priority: 0,
      enabled: flags.account ?? true,
      credentialRejectedAt: null,
    },
    provider: {
      id: 'prv_1',
      name: 'p',
      kind: 'openai',
      baseUrl: 'http://x/v1',
      enabled: flags.provider ?? true,
    },
  };
}

function sources() {
  return { breakers: new CircuitBreakerRegistry(), cooldowns: new CooldownRegistry() };
}

describe('targetHealth', () => {
  it('is available with no breaker, no cool-down, everything enabled', () => {
    const s = sources();
    expect(targetHealth(resolved(), 0, s)).toEqual({ available: true });
    expect(s.breakers.size).toBe(0); // looking does not create breakers
  });

  it.each([{ target: false }, { account: false }, { provider: false }])('is disabled when %j', (flags) => {
    expect(targetHealth(resolved(flags), 0, sources())).toEqual({
      available: false,
      reason: 'disabled',
      availableInMs: null,
    });
  });

  it('is credential_rejected for a rejected account, with no time to wait', () => {
    expect(targetHealth(resolved(), 0, { ...sources(), rejectedAccounts: new Set(['acc_1']) })).toEqual({
      available: false,
      reason: 'credential_rejected',
      availableInMs: null,
    });
    expect(targetHealth(resolved(), 0, { ...sources(), rejectedAccounts: new Set(['acc_2']) })).toEqual({
      available: true,
    });
  });

  it('is cooling for the pair’s remaining cool-down', () => {
    const s = sources();
    s.cooldowns.coolUntil('acc_1', 'gpt', 30_000);
    expect(targetHealth(resolved(), 12_000, s)).toEqual({
      available: false,
      reason: 'cooling',
      availableInMs: 18_000,
    });
    expect(targetHealth(resolved(), 30_000, s)).toEqual({ available: true });
  });

  it('is circuit_open until the breaker’s next probe time', () => {
    const s = sources();
    const breaker = s.breakers.get('acc_1', 'gpt');
    for (let i = 0; i < 5; i++) breaker.onFailure(1_000);
    expect(targetHealth(resolved(), 4_000, s)).toEqual({
      available: false,
      reason: 'circuit_open',
      availableInMs: 7_000,
    });
    // Half-open with a free probe slot: available; with the slot taken: unknown wait.
    expect(targetHealth(resolved(), 11_000, s)).toEqual({ available: true });
    breaker.tryAcquire(11_000);
    expect(targetHealth(resolved(), 11_500, s)).toEqual({
      available: false,
      reason: 'circuit_open',
      availableInMs: null,
    });
    expect(breaker.snapshot(11_500).probesInFlight).toBe(1); // looking took no slot
  });

  it('reports the later of breaker and cool-down when both block', () => {
    const s = sources();
    for (let i = 0; i < 5; i++) s.breakers.get('acc_1', 'gpt').onFailure(0);
    s.cooldowns.coolUntil('acc_1', 'gpt', 25_000);
    expect(targetHealth(resolved(), 5_000, s)).toEqual({
      available: false,
      reason: 'circuit_open',
      availableInMs: 20_000,
    });
    s.cooldowns.coolUntil('acc_1', 'gpt', 30_000);
    expect(targetHealth(resolved(), 12_000, s)).toEqual({
      available: false,
      reason: 'cooling',
      availableInMs: 18_000,
    });
  });
});
