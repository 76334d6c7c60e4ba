import { describe, expect, it } from 'vitest';
import { effectiveHealthCheck, FALLBACK_HEALTH_CHECK_INTERVAL_MS } from './health-check-setting';

describe('effectiveHealthCheck', () => {
  it('follows the environment for an account that says nothing: on with its interval when above 0', () => {
    expect(effectiveHealthCheck({ enabled: null, intervalMs: null }, 2_000)).toEqual({
      enabled: { value: true, source: 'router_default' },
      intervalMs: { value: 2_000, source: 'router_default' },
    });
    expect(effectiveHealthCheck(undefined, 0).enabled).toEqual({ value: false, source: 'router_default' });
  });

  it('lets an account turn checks on where the environment has them off, at 30 s unless it names an interval', () => {
    expect(effectiveHealthCheck({ enabled: true, intervalMs: null }, 0)).toEqual({
      enabled: { value: true, source: 'account' },
      intervalMs: { value: FALLBACK_HEALTH_CHECK_INTERVAL_MS, source: 'router_default' },
    });
    expect(effectiveHealthCheck({ enabled: true, intervalMs: 500 }, 0).intervalMs).toEqual({
      value: 500,
      source: 'account',
    });
  });

  it('lets an account turn checks off where the environment has them on', () => {
    expect(effectiveHealthCheck({ enabled: false, intervalMs: null }, 1_000).enabled).toEqual({
      value: false,
      source: 'account',
    });
  });
});
