import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecret } from './redact-secret';

const KEY = 'sk-proj-Zq81mXk2Lp0vRt7Y';

describe('redactSecret', () => {
  it('removes the secret as is, URL-encoded and in base64', () => {
    const odd = 'k3y/with+special=chars&more';
    expect(redactSecret(`bad key ${odd}!`, odd)).toBe(`bad key ${REDACTED}!`);
    expect(redactSecret(`sent: ${encodeURIComponent(odd)}`, odd)).toBe(`sent: ${REDACTED}`);
    const basic = Buffer.from(odd).toString('base64');
    expect(redactSecret(`Basic ${basic}`, odd)).toBe(`Basic ${REDACTED}`);
    expect(redactSecret(`${KEY}${KEY}`, KEY)).toBe(`${REDACTED}${REDACTED}`);
  });

  it('removes any word carrying 8 or more consecutive characters of it: masked echoes, prefixes, fragments', () => {
    // The word goes whole, down to its trailing dot ('.' can be part of a key, a JWT's for one).
    expect(redactSecret('Incorrect API key provided: sk-proj-****************7Y.', KEY)).toBe(
      `Incorrect API key provided: ${REDACTED}`,
    );
    expect(redactSecret('fragment xmXk2Lp0vRy end', KEY)).toBe(`fragment ${REDACTED} end`);
    expect(redactSecret('"param":"Lp0vRt7Y"', KEY)).toBe(`"param":"${REDACTED}"`);
  });

  it('leaves everything else alone', () => {
    expect(redactSecret('The model `gpt-4o` does not exist.', KEY)).toBe(
      'The model `gpt-4o` does not exist.',
    );
    expect(redactSecret('sk-proj is a prefix of 7 chars: sk-proj', KEY)).toBe(
      'sk-proj is a prefix of 7 chars: sk-proj',
    );
    expect(redactSecret('abc', '')).toBe('abc');
    // A short secret is only removed whole.
    expect(redactSecret('pw is abc123, not abc12', 'abc123')).toBe(`pw is ${REDACTED}, not abc12`);
  });

  it('never leaves 8 consecutive characters of the secret, whatever surrounds it', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.string({ minLength: 8, maxLength: 40 }),
        fc.string(),
        fc.nat(),
        fc.nat(),
        (before, secret, after, from, length) => {
          const start = from % (secret.length - 7);
          const piece = secret.slice(start, start + 8 + (length % (secret.length - start - 7)));
          const out = redactSecret(`${before} ${piece} ${after}`, secret);
          for (let i = 0; i + 8 <= secret.length; i++) {
            const gram = secret.slice(i, i + 8);
            // Only grams made of token characters are found inside words; others are removed whole.
            if (!/^[A-Za-z0-9_\-.~+/=*%]+$/.test(gram)) continue;
            expect(out.includes(gram) && !`${before}${after}`.includes(gram)).toBe(false);
          }
        },
      ),
    );
  });
});
