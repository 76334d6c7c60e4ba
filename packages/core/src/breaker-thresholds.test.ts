import { describe, expect, it } from 'vitest';
import {
  type BreakerThresholds,
  breakerKey,
  breakerThresholdsByTarget,
  effectiveBreakerThresholds,
} from './breaker-thresholds';

const DEFAULTS: BreakerThresholds = {
  consecutiveFailures: 5,
  failureRateThreshold: 0.5,
  windowMs: 30_000,
  minimumRequests: 20,
  coolDownMs: 10_000,
};

const target = (accountId: string, upstreamModel: string) => ({
  id: `tgt_${accountId}_${upstreamModel}`,
  accountId,
  upstreamModel,
  tier: 0,
  weight: 1,
  enabled: true,
});

describe('effectiveBreakerThresholds', () => {
  it('takes each field the route sets and the default for the rest, saying which', () => {
    expect(effectiveBreakerThresholds({ consecutiveFailures: 2, windowMs: null }, DEFAULTS)).toEqual({
      consecutiveFailures: { value: 2, source: 'route' },
      failureRateThreshold: { value: 0.5, source: 'router_default' },
      windowMs: { value: 30_000, source: 'router_default' },
      minimumRequests: { value: 20, source: 'router_default' },
      coolDownMs: { value: 10_000, source: 'router_default' },
    });
  });

  it('keeps a set 0 cool-down (0 is a value, not "unset")', () => {
    expect(effectiveBreakerThresholds({ coolDownMs: 0 }, DEFAULTS).coolDownMs).toEqual({
      value: 0,
      source: 'route',
    });
  });
});

describe('breakerThresholdsByTarget', () => {
  it('leaves out pairs whose routes set nothing', () => {
    const byPair = breakerThresholdsByTarget(
      [
        { targets: [target('a', 'm')], breaker: { consecutiveFailures: null } },
        { targets: [target('b', 'm')] },
      ],
      DEFAULTS,
    );
    expect(byPair.size).toBe(0);
  });

  it('gives a pair shared by routes that disagree the most protective value of each field', () => {
    const byPair = breakerThresholdsByTarget(
      [
        { targets: [target('a', 'm')], breaker: { consecutiveFailures: 2, coolDownMs: 1_000 } },
        { targets: [target('a', 'm'), target('b', 'm')], breaker: { windowMs: 60_000, coolDownMs: 30_000 } },
      ],
      DEFAULTS,
    );
    expect(byPair.get(breakerKey('a', 'm'))).toEqual({
      consecutiveFailures: 2,
      failureRateThreshold: 0.5,
      windowMs: 60_000,
      minimumRequests: 20,
      coolDownMs: 30_000,
    });
    expect(byPair.get(breakerKey('b', 'm'))).toEqual({ ...DEFAULTS, windowMs: 60_000, coolDownMs: 30_000 });
  });
});
