import { MASK } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditChanges } from './audit-changes';

const fieldName = fc.constantFrom('name', 'weight', 'tags', 'expiresAt', 'limitMicros', 'enabled');
const secretName = fc.constantFrom('credentialCiphertext', 'apiKey', 'clientSecret', 'passwordHash', 'token');
const value = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.bigInt({ min: 0n, max: 10n ** 20n }),
  fc.date({ noInvalidDate: true }),
);

describe('auditChanges', () => {
  it('keeps exactly the named fields whose value changed, as JSON', () => {
    const at = new Date('2030-01-01T00:00:00.000Z');
    expect(
      auditChanges(
        { name: 'a', weight: 1, limitMicros: 5n, expiresAt: null, same: 'x' },
        { name: 'b', weight: 1, limitMicros: 10n ** 20n, expiresAt: at, same: 'x' },
        ['name', 'weight', 'limitMicros', 'expiresAt', 'same'],
      ),
    ).toEqual({
      before: { name: 'a', limitMicros: '5', expiresAt: null },
      after: { name: 'b', limitMicros: '100000000000000000000', expiresAt: '2030-01-01T00:00:00.000Z' },
    });
  });

  it('masks a secret field whatever the values: the change shows, its text never does', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fieldName, value),
        fc.dictionary(fieldName, value),
        secretName,
        fc.string({ minLength: 8 }),
        fc.string({ minLength: 8 }),
        (before, after, secret, old, next) => {
          fc.pre(old !== next);
          const fields = [...new Set([...Object.keys(before), ...Object.keys(after), secret])];
          const changes = auditChanges({ ...before, [secret]: old }, { ...after, [secret]: next }, fields);
          expect(changes.before[secret]).toBe(MASK);
          expect(changes.after[secret]).toBe(MASK);
          for (const name of Object.keys(changes.after)) expect(fields).toContain(name);
          // The secret's text is nowhere but where a non-secret field holds the same text.
          const plain = Object.entries({ ...before, ...after }).map(([, v]) =>
            JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? x.toString() : x)),
          );
          for (const text of [old, next]) {
            if (!plain.some((v) => v?.includes(JSON.stringify(text).slice(1, -1)))) {
              expect(JSON.stringify(changes)).not.toContain(JSON.stringify(text));
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
