import { describe, expect, it } from 'vitest';
import { bearerKeyOf } from './bearer-key-of';

describe('bearerKeyOf', () => {
  it('reads the key of a bearer Authorization header, whatever the scheme case', () => {
    expect(bearerKeyOf({ authorization: 'Bearer sk-account-a' })).toBe('sk-account-a');
    expect(bearerKeyOf({ authorization: 'bearer  sk-account-b ' })).toBe('sk-account-b');
  });

  it('finds no key without a bearer credential', () => {
    expect(bearerKeyOf({})).toBeUndefined();
    expect(bearerKeyOf({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(bearerKeyOf({ authorization: 'Bearer' })).toBeUndefined();
    expect(bearerKeyOf({ authorization: 'Bearer two words' })).toBeUndefined();
    expect(bearerKeyOf({ 'x-api-key': 'sk-anthropic-style' })).toBeUndefined();
  });
});
