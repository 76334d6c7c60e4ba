import { describe, expect, it } from 'vitest';
import { MAX_CHOICES, readChoiceCount } from './read-choice-count';

describe('readChoiceCount', () => {
  it('is 1 when n is absent or null', () => {
    expect(readChoiceCount({})).toEqual({ ok: true, value: 1 });
    expect(readChoiceCount({ n: null })).toEqual({ ok: true, value: 1 });
  });

  it('takes a whole n from 1 to the cap', () => {
    expect(readChoiceCount({ n: 1 })).toEqual({ ok: true, value: 1 });
    expect(readChoiceCount({ n: 5 })).toEqual({ ok: true, value: 5 });
    expect(readChoiceCount({ n: MAX_CHOICES })).toEqual({ ok: true, value: 128 });
  });

  it('refuses anything else with a 400 naming n', () => {
    for (const n of [0, -1, 1.5, MAX_CHOICES + 1, '5', true, Number.NaN, Number.POSITIVE_INFINITY, 1e21]) {
      const result = readChoiceCount({ n });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatchObject({ status: 400, code: 'invalid_request', param: 'n' });
    }
  });
});
