import { describe, expect, it } from 'vitest';
import {
  breakerOutcome,
  CircuitBreaker,
  CircuitBreakerRegistry,
  DEFAULT_CIRCUIT_BREAKER_CONFIG,
} from './circuit-breaker';

/** Reports `n` failures at time `at`. */
function fail(breaker: CircuitBreaker, n: number, at: number): void {
  for (let i = 0; i < n; i++) breaker.onFailure(at);
}

/** Reports `pairs` × (success, failure) at time `at`: a 50% failure rate that never reaches 2 in a row. */
function alternate(breaker: CircuitBreaker, pairs: number, at: number): void {
  for (let i = 0; i < pairs; i++) {
    breaker.onSuccess(at);
    breaker.onFailure(at);
  }
}

describe('DEFAULT_CIRCUIT_BREAKER_CONFIG', () => {
  it('is 5 in a row, or 50% over 30 s with ≥ 20 requests; 10 s cool-down; 1 probe, 1 success to close', () => {
    expect(DEFAULT_CIRCUIT_BREAKER_CONFIG).toEqual({
      consecutiveFailures: 5,
      failureRateThreshold: 0.5,
      windowMs: 30_000,
      minimumRequests: 20,
      coolDownMs: 10_000,
      halfOpenMaxProbes: 1,
      halfOpenSuccesses: 1,
      probeLeaseMs: 120_000,
    });
  });
});

describe('CircuitBreaker: closed → open', () => {
  it('starts closed and admits requests', () => {
    const b = new CircuitBreaker();
    expect(b.state(0)).toBe('closed');
    expect(b.allows(0)).toBe(true);
    expect(b.tryAcquire(0)).toBe(true);
    expect(b.snapshot(0)).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      failureRate: 0,
      requests: 0,
      failures: 0,
      probesInFlight: 0,
      openedAt: null,
      nextProbeAt: null,
    });
  });

  it('opens on exactly the fifth consecutive failure', () => {
    const b = new CircuitBreaker();
    fail(b, 4, 1_000);
    expect(b.state(1_000)).toBe('closed');
    b.onFailure(1_500);
    expect(b.state(1_500)).toBe('open');
    expect(b.tryAcquire(1_500)).toBe(false);
    expect(b.snapshot(1_500)).toEqual({
      state: 'open',
      consecutiveFailures: 5,
      failureRate: 1,
      requests: 5,
      failures: 5,
      probesInFlight: 0,
      openedAt: 1_500,
      nextProbeAt: 11_500,
    });
  });

  it('never opens on one transient error, and a success resets the run', () => {
    const b = new CircuitBreaker();
    b.onFailure(0);
    expect(b.state(0)).toBe('closed');
    fail(b, 3, 0);
    b.onSuccess(0);
    fail(b, 4, 0);
    expect(b.state(0)).toBe('closed');
    expect(b.snapshot(0).consecutiveFailures).toBe(4);
  });

  it('opens when the failure rate reaches 50% with 20 outcomes in the window', () => {
    const b = new CircuitBreaker();
    alternate(b, 9, 0); // 18 outcomes, 9 failures
    b.onSuccess(0); // 19 outcomes, 9 failures: below minimum volume
    expect(b.state(0)).toBe('closed');
    b.onFailure(0); // 20 outcomes, 10 failures = 50%
    expect(b.state(0)).toBe('open');
    expect(b.snapshot(0).failureRate).toBe(0.5);
    expect(b.snapshot(0).consecutiveFailures).toBe(1);
  });

  it('stays closed below the rate threshold however many requests', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 30; i++) {
      b.onSuccess(0);
      b.onSuccess(0);
      b.onFailure(0);
    }
    expect(b.state(0)).toBe('closed');
    expect(b.snapshot(0)).toMatchObject({ requests: 90, failures: 30, failureRate: 30 / 90 });
  });

  it('stays closed at a high rate below the minimum volume', () => {
    const b = new CircuitBreaker({ consecutiveFailures: 100 });
    fail(b, 19, 0);
    expect(b.state(0)).toBe('closed');
    b.onFailure(0);
    expect(b.state(0)).toBe('open');
  });

  it('forgets outcomes older than the window (30 s in 3 s buckets)', () => {
    const early = new CircuitBreaker();
    alternate(early, 9, 0);
    alternate(early, 1, 29_999); // t=0 outcomes still inside the window: 20 outcomes, 10 failures
    expect(early.state(29_999)).toBe('open');

    const late = new CircuitBreaker();
    alternate(late, 9, 0);
    alternate(late, 1, 30_000); // t=0 bucket has slid out: 2 outcomes only
    expect(late.state(30_000)).toBe('closed');
    expect(late.snapshot(30_000)).toMatchObject({ requests: 2, failures: 1, failureRate: 0.5 });
  });

  it('reuses a bucket slot after a full lap without carrying stale counts', () => {
    const b = new CircuitBreaker();
    alternate(b, 5, 1_000);
    expect(b.snapshot(1_000).requests).toBe(10);
    // 1_000 and 31_000 map to the same slot one lap apart.
    b.onSuccess(31_000);
    expect(b.snapshot(31_000)).toMatchObject({ requests: 1, failures: 0 });
  });
});

describe('CircuitBreaker: open → half_open → closed/open', () => {
  function opened(config = {}): CircuitBreaker {
    const b = new CircuitBreaker(config);
    fail(b, 5, 0);
    return b;
  }

  it('rejects everything for the cool-down, then turns half-open', () => {
    const b = opened();
    expect(b.state(9_999)).toBe('open');
    expect(b.tryAcquire(9_999)).toBe(false);
    expect(b.state(10_000)).toBe('half_open');
    expect(b.snapshot(10_000)).toMatchObject({ state: 'half_open', openedAt: 0, nextProbeAt: 10_000 });
  });

  it('admits one probe at a time while half-open', () => {
    const b = opened();
    expect(b.tryAcquire(10_000)).toBe(true);
    expect(b.allows(10_001)).toBe(false);
    expect(b.tryAcquire(10_001)).toBe(false);
    expect(b.snapshot(10_001).probesInFlight).toBe(1);
  });

  it('closes on a probe success and starts from a clean window', () => {
    const b = opened();
    b.tryAcquire(10_000);
    b.onSuccess(10_200);
    expect(b.state(10_200)).toBe('closed');
    expect(b.snapshot(10_200)).toEqual({
      state: 'closed',
      consecutiveFailures: 0,
      failureRate: 0,
      requests: 0,
      failures: 0,
      probesInFlight: 0,
      openedAt: null,
      nextProbeAt: null,
    });
    // A fresh run of 5 is needed to open again.
    fail(b, 4, 10_300);
    expect(b.state(10_300)).toBe('closed');
  });

  it('re-opens on a probe failure with a fresh cool-down', () => {
    const b = opened();
    b.tryAcquire(10_000);
    b.onFailure(12_000);
    expect(b.state(12_000)).toBe('open');
    expect(b.snapshot(12_000)).toMatchObject({
      openedAt: 12_000,
      nextProbeAt: 22_000,
      consecutiveFailures: 6,
    });
    expect(b.state(21_999)).toBe('open');
    expect(b.state(22_000)).toBe('half_open');
  });

  it('with K=2 probes and M=2 successes: two probes in flight, closes on the second success', () => {
    const b = opened({ halfOpenMaxProbes: 2, halfOpenSuccesses: 2 });
    expect(b.tryAcquire(10_000)).toBe(true);
    expect(b.tryAcquire(10_000)).toBe(true);
    expect(b.tryAcquire(10_000)).toBe(false);
    b.onSuccess(10_100);
    expect(b.state(10_100)).toBe('half_open');
    expect(b.tryAcquire(10_100)).toBe(true); // the freed slot
    b.onSuccess(10_200);
    expect(b.state(10_200)).toBe('closed');
  });

  it('a failure after one of two required successes re-opens', () => {
    const b = opened({ halfOpenSuccesses: 2 });
    b.tryAcquire(10_000);
    b.onSuccess(10_100);
    b.tryAcquire(10_100);
    b.onFailure(10_200);
    expect(b.state(10_200)).toBe('open');
    // The next half-open needs two fresh successes.
    b.tryAcquire(20_200);
    b.onSuccess(20_300);
    expect(b.state(20_300)).toBe('half_open');
  });

  it('release gives a probe slot back without an outcome', () => {
    const b = opened();
    b.tryAcquire(10_000);
    b.release(10_050);
    expect(b.state(10_050)).toBe('half_open');
    expect(b.allows(10_050)).toBe(true);
    expect(b.snapshot(10_050).probesInFlight).toBe(0);
  });

  it('ignores stragglers: outcomes while open neither extend nor close it', () => {
    const b = opened();
    b.onFailure(5_000);
    b.onSuccess(6_000);
    expect(b.snapshot(6_000)).toMatchObject({ state: 'open', openedAt: 0, nextProbeAt: 10_000 });
    expect(b.state(10_000)).toBe('half_open');
  });

  it('counts outcomes while open in the success rate panic routing reads, without changing state', () => {
    const b = new CircuitBreaker();
    fail(b, 5, 0);
    expect(b.successRate(0)).toBe(0);
    b.onSuccess(1_000);
    b.onSuccess(1_000);
    b.onSuccess(1_000);
    b.onFailure(1_000);
    expect(b.successRate(1_000)).toBeCloseTo(3 / 9);
    expect(b.snapshot(1_000)).toMatchObject({ state: 'open', openedAt: 0, nextProbeAt: 10_000 });
    // The window slides: 40 s later it holds nothing and the rate is unknown.
    expect(b.successRate(40_000)).toBeNull();
  });

  it('is reliable only closed, after a non-failure, under half the failure rate that would open it', () => {
    const b = new CircuitBreaker();
    expect(b.isReliable(0)).toBe(true);
    b.onFailure(0);
    expect(b.isReliable(0)).toBe(false);
    for (let i = 0; i < 3; i++) b.onSuccess(0);
    // 1 failure in 4: 25% is not under 25%.
    expect(b.isReliable(0)).toBe(false);
    b.onSuccess(0);
    expect(b.isReliable(0)).toBe(true);
    fail(b, 5, 0);
    b.onSuccess(0);
    expect(b.state(0)).toBe('open');
    expect(b.isReliable(0)).toBe(false);
  });

  it('ignores outcomes while half-open when no probe is outstanding', () => {
    const b = opened();
    b.onFailure(10_000);
    b.onSuccess(10_000);
    expect(b.state(10_000)).toBe('half_open');
    expect(b.allows(10_000)).toBe(true);
  });

  it('frees a probe slot nobody returned after the lease', () => {
    const b = opened({ probeLeaseMs: 60_000 });
    b.tryAcquire(10_000);
    expect(b.allows(69_999)).toBe(false);
    expect(b.allows(70_000)).toBe(true);
    expect(b.tryAcquire(70_000)).toBe(true);
  });

  it('release while closed is a no-op', () => {
    const b = new CircuitBreaker();
    b.tryAcquire(0);
    b.release(0);
    expect(b.snapshot(0)).toMatchObject({ state: 'closed', requests: 0, probesInFlight: 0 });
  });
});

describe('CircuitBreaker config', () => {
  it('overlays partial config on the defaults; explicit undefined keeps the default', () => {
    const b = new CircuitBreaker({ coolDownMs: 500, consecutiveFailures: undefined });
    expect(b.config).toEqual({ ...DEFAULT_CIRCUIT_BREAKER_CONFIG, coolDownMs: 500 });
  });

  it.each([
    [{ consecutiveFailures: 0 }, 'CircuitBreakerConfig.consecutiveFailures must be an integer ≥ 1; got 0.'],
    [{ failureRateThreshold: 0 }, 'CircuitBreakerConfig.failureRateThreshold must be in (0, 1]; got 0.'],
    [{ failureRateThreshold: 1.5 }, 'CircuitBreakerConfig.failureRateThreshold must be in (0, 1]; got 1.5.'],
    [{ windowMs: 0.5 }, 'CircuitBreakerConfig.windowMs must be an integer ≥ 1; got 0.5.'],
    [{ minimumRequests: -1 }, 'CircuitBreakerConfig.minimumRequests must be an integer ≥ 1; got -1.'],
    [{ coolDownMs: -1 }, 'CircuitBreakerConfig.coolDownMs must be an integer ≥ 0; got -1.'],
    [{ halfOpenMaxProbes: 0 }, 'CircuitBreakerConfig.halfOpenMaxProbes must be an integer ≥ 1; got 0.'],
    [
      { halfOpenSuccesses: Number.NaN },
      'CircuitBreakerConfig.halfOpenSuccesses must be an integer ≥ 1; got NaN.',
    ],
    [{ probeLeaseMs: 0 }, 'CircuitBreakerConfig.probeLeaseMs must be an integer ≥ 1; got 0.'],
  ])('rejects %j', (config, message) => {
    expect(() => new CircuitBreaker(config)).toThrow(new RangeError(message));
    expect(() => new CircuitBreakerRegistry(config)).toThrow(RangeError);
  });
});

describe('breakerOutcome', () => {
  it('counts only upstream health as failure', () => {
    expect(breakerOutcome(null)).toBe('success');
    expect(breakerOutcome('client_error')).toBe('success');
    expect(breakerOutcome('connect_error')).toBe('failure');
    expect(breakerOutcome('timeout')).toBe('failure');
    expect(breakerOutcome('server_error')).toBe('failure');
    expect(breakerOutcome('stream_interrupted')).toBe('failure');
    expect(breakerOutcome('invalid_response')).toBe('failure');
    expect(breakerOutcome('rate_limited')).toBe('neutral');
    expect(breakerOutcome('upstream_auth')).toBe('neutral');
    expect(breakerOutcome('client_cancelled')).toBe('neutral');
  });
});

describe('CircuitBreakerRegistry', () => {
  it('creates one breaker per (account, model) lazily, with the shared config', () => {
    const registry = new CircuitBreakerRegistry({ consecutiveFailures: 2 });
    expect(registry.peek('acc_1', 'gpt')).toBeUndefined();
    expect(registry.size).toBe(0);
    const a = registry.get('acc_1', 'gpt');
    expect(registry.get('acc_1', 'gpt')).toBe(a);
    expect(registry.peek('acc_1', 'gpt')).toBe(a);
    expect(registry.get('acc_1', 'other')).not.toBe(a);
    expect(registry.get('acc_2', 'gpt')).not.toBe(a);
    expect(registry.size).toBe(3);
    expect(a.config.consecutiveFailures).toBe(2);
  });

  it('keeps ids that would collide under a printable separator apart', () => {
    const registry = new CircuitBreakerRegistry();
    expect(registry.get('a:b', 'c')).not.toBe(registry.get('a', 'b:c'));
  });

  it('isolates failures: one pair opening leaves the others closed', () => {
    const registry = new CircuitBreakerRegistry();
    fail(registry.get('acc_1', 'gpt'), 5, 0);
    expect(registry.get('acc_1', 'gpt').state(0)).toBe('open');
    expect(registry.get('acc_1', 'mini').state(0)).toBe('closed');
    expect(registry.get('acc_2', 'gpt').state(0)).toBe('closed');
  });

  it('lists every breaker with its identity and snapshot', () => {
    const registry = new CircuitBreakerRegistry();
    fail(registry.get('acc_1', 'gpt'), 5, 100);
    registry.get('acc_2', 'gpt').onSuccess(100);
    expect(registry.snapshots(200)).toEqual([
      {
        accountId: 'acc_1',
        model: 'gpt',
        snapshot: {
          state: 'open',
          consecutiveFailures: 5,
          failureRate: 1,
          requests: 5,
          failures: 5,
          probesInFlight: 0,
          openedAt: 100,
          nextProbeAt: 10_100,
        },
      },
      {
        accountId: 'acc_2',
        model: 'gpt',
        snapshot: {
          state: 'closed',
          consecutiveFailures: 0,
          failureRate: 0,
          requests: 1,
          failures: 0,
          probesInFlight: 0,
          openedAt: null,
          nextProbeAt: null,
        },
      },
    ]);
  });
});

describe('CircuitBreakerRegistry.configure', () => {
  it('gives configured pairs their thresholds, existing breakers included, and keeps their state', () => {
    const registry = new CircuitBreakerRegistry({ consecutiveFailures: 5, coolDownMs: 1_000 });
    const existing = registry.get('acc', 'm');
    existing.onFailure(0);
    const invalid = registry.configure(
      new Map([['acc\u0000m', { consecutiveFailures: 2, coolDownMs: 9_000 }]]),
    );
    expect(invalid).toEqual([]);
    expect(existing.config.consecutiveFailures).toBe(2);
    existing.onFailure(1);
    expect(existing.state(2)).toBe('open');
    // The new cool-down applies to the open breaker.
    expect(existing.state(5_000)).toBe('open');
    expect(existing.state(9_001)).toBe('half_open');
    expect(registry.get('acc', 'other').config.consecutiveFailures).toBe(5);
  });

  it('returns pairs whose thresholds are invalid and leaves them on the defaults', () => {
    const registry = new CircuitBreakerRegistry({ consecutiveFailures: 5 });
    expect(registry.configure(new Map([['acc\u0000m', { failureRateThreshold: 2 }]]))).toEqual([
      'acc\u0000m',
    ]);
    expect(registry.get('acc', 'm').config.failureRateThreshold).toBe(0.5);
  });

  it('restarts the window counts when the window length changes', () => {
    const registry = new CircuitBreakerRegistry({ minimumRequests: 10 });
    const breaker = registry.get('acc', 'm');
    breaker.onSuccess(0);
    breaker.onFailure(1);
    expect(breaker.snapshot(2).requests).toBe(2);
    registry.configure(new Map([['acc\u0000m', { windowMs: 60_000 }]]));
    expect(breaker.snapshot(3).requests).toBe(0);
  });
});
