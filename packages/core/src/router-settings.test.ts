import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTER_SETTINGS, effectiveMaxAttempts, parseRouterSettings } from './router-settings';

describe('effectiveMaxAttempts', () => {
  it('lowers a policy above the cap to the cap and names it; leaves one at or under it alone', () => {
    expect(effectiveMaxAttempts(5, 3)).toEqual({ value: 3, cappedBy: 3 });
    expect(effectiveMaxAttempts(3, 3)).toEqual({ value: 3, cappedBy: null });
    expect(effectiveMaxAttempts(2, null)).toEqual({ value: 2, cappedBy: null });
  });
});

describe('parseRouterSettings', () => {
  it('reads what a router published, and nothing of an unknown shape', () => {
    const published = JSON.parse(JSON.stringify(DEFAULT_ROUTER_SETTINGS)) as unknown;
    expect(parseRouterSettings(published)).toEqual(DEFAULT_ROUTER_SETTINGS);
    expect(parseRouterSettings({ ...DEFAULT_ROUTER_SETTINGS, maxAttempts: '3' })).toBeNull();
    expect(parseRouterSettings({ maxAttempts: 3 })).toBeNull();
    expect(parseRouterSettings(null)).toBeNull();
  });
});
