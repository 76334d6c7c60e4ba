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

  it('counts best_of when it asks for more completions than n', () => {
    expect(readChoiceCount({ n: 2, best_of: 6 })).toEqual({ ok: true, value: 6 });
    expect(readChoiceCount({ best_of: 3 })).toEqual({ ok: true, value: 3 });
    expect(readChoiceCount({ n: 4, best_of: null })).toEqual({ ok: true, value: 4 });
    const result = readChoiceCount({ n: 2, best_of: 129 });
    expect(result.ok ? null : result.error.param).toBe('best_of');
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
