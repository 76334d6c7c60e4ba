import { describe, expect, it } from 'vitest';
import { oidcSettings, parseDashboardEnv } from './env';

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

  it('turns OIDC on only with issuer, client id and secret together, naming the missing ones', () => {
    expect(oidcSettings(parseDashboardEnv(base))).toBeNull();
    expect(() => parseDashboardEnv({ ...base, OIDC_ISSUER: 'https://id.example.com' })).toThrow(
      /OIDC_CLIENT_ID: is required when any OIDC_\* setting is set[\s\S]*OIDC_CLIENT_SECRET/,
    );
    const settings = oidcSettings(
      parseDashboardEnv({
        ...base,
        OIDC_ISSUER: 'https://id.example.com/realms/ops',
        OIDC_CLIENT_ID: 'switchyard',
        OIDC_CLIENT_SECRET: 'secret',
      }),
    );
    expect(settings).toEqual({
      issuer: 'https://id.example.com/realms/ops',
      clientId: 'switchyard',
      clientSecret: 'secret',
      name: 'single sign-on',
      autoProvisionViewers: false,
    });
    expect(() => parseDashboardEnv({ ...base, OIDC_AUTO_PROVISION: 'yes' })).toThrow(/OIDC_AUTO_PROVISION/);
  });
});
