import { describe, expect, it } from 'vitest';
import { loadRouterEnv } from './env';

const required = { DATABASE_URL: 'postgresql://localhost/db', SWITCHYARD_MASTER_KEY: 'k' };

describe('router configuration', () => {
  it('defaults the failover, billing and limits settings', () => {
    const env = loadRouterEnv(required);
    expect(env.LIMITS_REDIS_FAILURE_POLICY).toBe('closed');
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.USAGE_RETENTION_DAYS).toBe(30);
    expect(env.BREAKER_FAILURES).toBe(5);
    expect(env.BREAKER_FAILURE_RATE).toBe(0.5);
    expect(env.BUDGET_DEFAULT_MAX_OUTPUT_TOKENS).toBe(4_096);
    expect(env.BUDGET_RESERVATION_LEASE_MS).toBeUndefined();
  });

  it('refuses bad values at start-up, naming every bad variable', () => {
    const load = () =>
      loadRouterEnv({
        ...required,
        LIMITS_REDIS_FAILURE_POLICY: 'sometimes',
        REDIS_URL: 'not a url',
        USAGE_RETENTION_DAYS: '-1',
        BREAKER_FAILURE_RATE: '1.5',
        BUDGET_RESERVATION_LEASE_MS: '0',
      });
    expect(load).toThrow(/Invalid router configuration/);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of [
      'LIMITS_REDIS_FAILURE_POLICY',
      'REDIS_URL: must be a redis:// URL',
      'USAGE_RETENTION_DAYS',
      'BREAKER_FAILURE_RATE',
      'BUDGET_RESERVATION_LEASE_MS',
    ]) {
      expect(message).toContain(name);
    }
  });
});
