import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from './mask-secrets';

describe('maskSecrets', () => {
  it('masks secret-looking fields at any depth and keeps the rest', () => {
    expect(
      maskSecrets({
        name: 'openai-prod',
        apiKey: 'sk-live-abc',
        accountCredentials: [{ accountId: 'acc_1', credential: 'sk-2' }],
        nested: { clientSecret: { value: 'x' }, Password: 'p', sessionToken: 't' },
        maxTokens: 4096,
        credentialSet: true,
        keyPrefix: null,
        models: ['gpt-4o'],
      }),
    ).toEqual({
      name: 'openai-prod',
      apiKey: MASK,
      accountCredentials: MASK,
      nested: { clientSecret: MASK, Password: MASK, sessionToken: MASK },
      maxTokens: 4096,
      credentialSet: true,
      keyPrefix: null,
      models: ['gpt-4o'],
    });
  });

  it('never lets a string under a secret-looking name through, whatever the shape', () => {
    const secretName = fc.constantFrom('key', 'apiKey', 'TOKEN', 'client_secret', 'password', 'credentials');
    fc.assert(
      fc.property(fc.jsonValue(), secretName, fc.string({ minLength: 1 }), (json, name, secret) => {
        const doc = { wrapper: [json, { [name]: secret }], [name]: { deeper: secret } };
        const text = JSON.stringify(maskSecrets(doc));
        const masked = maskSecrets(doc) as { wrapper: unknown[] } & Record<string, unknown>;
        expect(masked[name]).toBe(MASK);
        expect(masked.wrapper[1]).toEqual({ [name]: MASK });
        // Masking is idempotent and leaves valid JSON.
        expect(JSON.stringify(maskSecrets(JSON.parse(text)))).toBe(text);
      }),
    );
  });
});
