import { describe, expect, it } from 'vitest';
import { isTrafficClass, parseTrafficClass, TRAFFIC_CLASS_HEADER, TRAFFIC_CLASSES } from './traffic-class';

describe('TRAFFIC_CLASSES', () => {
  it('is the closed set of five classes, frozen', () => {
    expect(TRAFFIC_CLASSES).toEqual(['interactive', 'background', 'evaluation', 'media', 'agent']);
    expect(Object.isFrozen(TRAFFIC_CLASSES)).toBe(true);
    expect(TRAFFIC_CLASS_HEADER).toBe('x-switchyard-traffic-class');
  });

  it('recognises exactly the five classes', () => {
    for (const c of TRAFFIC_CLASSES) expect(isTrafficClass(c)).toBe(true);
    expect(isTrafficClass('batch')).toBe(false);
    expect(isTrafficClass('Interactive')).toBe(false);
    expect(isTrafficClass('')).toBe(false);
  });
});

describe('parseTrafficClass', () => {
  it('uses the key default when the header is absent or blank', () => {
    expect(parseTrafficClass(undefined, ['interactive'], 'interactive')).toEqual({
      ok: true,
      value: 'interactive',
    });
    expect(parseTrafficClass('', [], 'background')).toEqual({ ok: true, value: 'background' });
    expect(parseTrafficClass('   ', [], 'agent')).toEqual({ ok: true, value: 'agent' });
  });

  it('accepts an allowed class, trimmed and case-insensitive', () => {
    expect(parseTrafficClass('background', ['interactive', 'background'], 'interactive')).toEqual({
      ok: true,
      value: 'background',
    });
    expect(parseTrafficClass('  Evaluation ', ['evaluation'], 'interactive')).toEqual({
      ok: true,
      value: 'evaluation',
    });
  });

  it('allows every class when the key has no allow-list', () => {
    for (const c of TRAFFIC_CLASSES)
      expect(parseTrafficClass(c, [], 'interactive')).toEqual({ ok: true, value: c });
  });

  it('rejects a class outside the key allow-list with a 400 naming the header', () => {
    expect(parseTrafficClass('background', ['interactive', 'agent'], 'interactive')).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        param: 'x-switchyard-traffic-class',
        message:
          "Invalid value for 'x-switchyard-traffic-class': this API key may not use traffic class 'background'; allowed: interactive, agent.",
      },
    });
  });

  it('rejects an unknown class with a 400 listing the valid ones', () => {
    expect(parseTrafficClass('batch', [], 'interactive')).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        param: 'x-switchyard-traffic-class',
        message:
          "Invalid value for 'x-switchyard-traffic-class': 'batch' is not a traffic class; expected one of interactive, background, evaluation, media, agent.",
      },
    });
  });

  it('echoes at most 40 characters of a garbage header', () => {
    const result = parseTrafficClass('x'.repeat(500), [], 'interactive');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toContain(`'${'x'.repeat(40)}…'`);
    if (!result.ok) expect(result.error.message).not.toContain('x'.repeat(41));
  });
});
