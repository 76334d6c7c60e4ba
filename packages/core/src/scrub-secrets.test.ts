import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scrubSecrets } from './scrub-secrets';

/** Characters a client may put in a query value or a token without breaking the line's JSON. */
const secretChars = fc.string({
  unit: fc.constantFrom(
    ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~%+/='.split(''),
  ),
  minLength: 12,
  maxLength: 60,
});
/** Query parameters that are not secrets. */
const plainParam = fc.tuple(
  fc.constantFrom('alt', 'model', 'x', 'keys', 'monkey'),
  fc.stringMatching(/^[a-z0-9]{0,8}$/),
);

describe('scrubSecrets', () => {
  it('removes a query credential wherever it stands among other parameters, and keeps the rest', () => {
    fc.assert(
      fc.property(
        fc.array(plainParam, { maxLength: 3 }),
        fc.array(plainParam, { maxLength: 3 }),
        fc.constantFrom('key', 'api_key', 'api-key', 'apikey', 'access_token', 'token', 'KEY'),
        secretChars.filter((s) => !s.includes('&')),
        (before, after, name, secret) => {
          const query = [...before, [name, secret], ...after].map(([k, v]) => `${k}=${v}`).join('&');
          const line = JSON.stringify({ url: `/v1beta/models/m:generateContent?${query}`, msg: 'request' });
          const out = scrubSecrets(line);
          expect(out).not.toContain(secret);
          expect(out).toContain(`${name}=[redacted]`);
          for (const [k, v] of [...before, ...after]) expect(out).toContain(`${k}=${v}`);
          expect(() => JSON.parse(out)).not.toThrow();
        },
      ),
    );
  });

  it('removes bearer and basic tokens, URL passwords and gateway keys from any text', () => {
    fc.assert(
      fc.property(secretChars, fc.string({ maxLength: 20 }), (secret, noise) => {
        const gateway = `sk-sy-${secret.replace(/[^A-Za-z0-9]/g, 'x')}`;
        const text = [
          `${noise} Authorization: Bearer ${secret}`,
          `basic ${secret}`,
          `postgres://switchyard:${secret.replace(/[/@]/g, 'x')}@db:5432/app`,
          `key ${gateway} ${noise}`,
        ].join(' | ');
        const out = scrubSecrets(JSON.stringify({ error: text }));
        expect(out).not.toContain(secret);
        expect(out).not.toContain(gateway);
        expect(out).toContain('postgres://switchyard:[redacted]@db:5432/app');
        expect(() => JSON.parse(out)).not.toThrow();
      }),
    );
  });

  it('leaves a line without secrets as it is', () => {
    const line = JSON.stringify({ msg: 'router listening', url: 'http://127.0.0.1:8080', monkey: 'key' });
    expect(scrubSecrets(line)).toBe(line);
  });
});
