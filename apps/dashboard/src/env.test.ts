import { describe, expect, it } from 'vitest';
import { parseDashboardEnv } from './env';

const base = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/switchyard' };

describe('parseDashboardEnv', () => {
  it('refuses production without a session secret, naming it', () => {
    expect(() => parseDashboardEnv({ ...base, NODE_ENV: 'production' })).toThrow(
      /NEXTAUTH_SECRET: is required in production/,
    );
    expect(() => parseDashboardEnv({ ...base, NODE_ENV: 'production', NEXTAUTH_SECRET: '' })).toThrow(
      /NEXTAUTH_SECRET/,
    );
  });

  it('lists every problem at once', () => {
    const message = (() => {
      try {
        parseDashboardEnv({ NODE_ENV: 'production', SWITCHYARD_ADMIN_TOKEN: 'short' });
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
      return 'did not throw';
    })();
    expect(message).toContain('DATABASE_URL: is required');
    expect(message).toContain('NEXTAUTH_SECRET: is required in production');
    expect(message).toContain('SWITCHYARD_ADMIN_TOKEN: must be at least 16 characters');
  });

  it('uses a development-only secret and documented defaults outside production', () => {
    const env = parseDashboardEnv({ ...base, NODE_ENV: 'development' });
    expect(env.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(env.ROUTER_PUBLIC_URL).toBe('http://localhost:8080');
    expect(env.SWITCHYARD_ADMIN_TOKEN).toBeUndefined();
  });

  it('keeps a production secret as given', () => {
    const secret = 'x'.repeat(40);
    expect(
      parseDashboardEnv({ ...base, NODE_ENV: 'production', NEXTAUTH_SECRET: secret }).NEXTAUTH_SECRET,
    ).toBe(secret);
  });
});
