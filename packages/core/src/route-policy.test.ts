import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTE_POLICIES, type RoutePolicy, validateRoutePolicy } from './route-policy';
import { TRAFFIC_CLASSES } from './traffic-class';

const good: RoutePolicy = {
  rungs: {
    retrySameTarget: true,
    otherAccount: true,
    otherProvider: false,
    backupModel: true,
    waitAndRetry: false,
  },
  maxAttempts: 3,
  timeouts: { connectMs: 2_000, firstByteMs: 10_000, idleMs: 15_000, totalMs: 30_000 },
};

/** `good` with one field replaced at a dotted path. */
function withField(path: string, value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(good)) as Record<string, Record<string, unknown>>;
  const [head, tail] = path.split('.') as [string, string | undefined];
  if (tail === undefined) (copy as Record<string, unknown>)[head] = value;
  else (copy[head] as Record<string, unknown>)[tail] = value;
  return copy;
}

function paramOf(value: unknown, options = {}): string | null {
  const result = validateRoutePolicy(value, options);
  return result.ok ? null : result.error.param;
}

describe('DEFAULT_ROUTE_POLICIES', () => {
  it('has a valid policy for every traffic class', () => {
    for (const c of TRAFFIC_CLASSES) {
      const result = validateRoutePolicy(DEFAULT_ROUTE_POLICIES[c], { trafficClass: c });
      expect(result).toEqual({ ok: true, value: DEFAULT_ROUTE_POLICIES[c] });
    }
  });

  it('never lets evaluation change the model; lets background wait; interactive short, background long', () => {
    expect(DEFAULT_ROUTE_POLICIES.evaluation.rungs.backupModel).toBe(false);
    expect(DEFAULT_ROUTE_POLICIES.background.rungs.waitAndRetry).toBe(true);
    expect(DEFAULT_ROUTE_POLICIES.interactive.rungs.waitAndRetry).toBe(false);
    expect(DEFAULT_ROUTE_POLICIES.interactive.timeouts.totalMs).toBe(60_000);
    expect(DEFAULT_ROUTE_POLICIES.background.timeouts.totalMs).toBe(900_000);
    expect(DEFAULT_ROUTE_POLICIES.interactive.maxAttempts).toBe(3);
    expect(DEFAULT_ROUTE_POLICIES.background.maxAttempts).toBe(6);
    expect(DEFAULT_ROUTE_POLICIES.media.maxAttempts).toBe(2);
  });

  it('is deeply frozen so no request can mutate the shared defaults', () => {
    expect(Object.isFrozen(DEFAULT_ROUTE_POLICIES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ROUTE_POLICIES.interactive)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ROUTE_POLICIES.interactive.rungs)).toBe(true);
    expect(Object.isFrozen(DEFAULT_ROUTE_POLICIES.interactive.timeouts)).toBe(true);
  });
});

describe('validateRoutePolicy', () => {
  it('accepts a good policy and returns only the known fields', () => {
    const result = validateRoutePolicy({ ...good, extra: 1, rungs: { ...good.rungs, bogus: true } });
    expect(result).toEqual({ ok: true, value: good });
  });

  it('names the bad field with a 400', () => {
    const result = validateRoutePolicy(withField('maxAttempts', 0));
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        param: 'maxAttempts',
        message: "Invalid 'maxAttempts': expected an integer from 1 to 10.",
      },
    });
  });

  it.each([
    ['rungs', null, 'rungs'],
    ['rungs.retrySameTarget', 'yes', 'rungs.retrySameTarget'],
    ['rungs.otherAccount', undefined, 'rungs.otherAccount'],
    ['rungs.otherProvider', 1, 'rungs.otherProvider'],
    ['rungs.backupModel', null, 'rungs.backupModel'],
    ['rungs.waitAndRetry', 'false', 'rungs.waitAndRetry'],
    ['maxAttempts', 11, 'maxAttempts'],
    ['maxAttempts', 2.5, 'maxAttempts'],
    ['maxAttempts', '3', 'maxAttempts'],
    ['timeouts', [], 'timeouts'],
    ['timeouts.connectMs', 0, 'timeouts.connectMs'],
    ['timeouts.firstByteMs', -1, 'timeouts.firstByteMs'],
    ['timeouts.idleMs', 1.5, 'timeouts.idleMs'],
    ['timeouts.totalMs', '60000', 'timeouts.totalMs'],
  ])('rejects %s = %j', (path, value, param) => {
    expect(paramOf(withField(path, value))).toBe(param);
  });

  it('rejects a non-object policy', () => {
    expect(validateRoutePolicy('fast')).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        param: 'policy',
        message: "Invalid 'policy': expected an object.",
      },
    });
    expect(paramOf(null, { path: 'policies.media' })).toBe('policies.media');
  });

  it('orders timeouts: connect ≤ first byte ≤ total, idle ≤ total, total ≤ 1 h', () => {
    expect(paramOf(withField('timeouts.totalMs', 3_600_001))).toBe('timeouts.totalMs');
    expect(paramOf(withField('timeouts.totalMs', 3_600_000))).toBe(null);
    expect(paramOf(withField('timeouts.firstByteMs', 30_001))).toBe('timeouts.firstByteMs');
    expect(paramOf(withField('timeouts.firstByteMs', 30_000))).toBe(null);
    expect(paramOf(withField('timeouts.connectMs', 10_001))).toBe('timeouts.connectMs');
    expect(paramOf(withField('timeouts.connectMs', 10_000))).toBe(null);
    expect(paramOf(withField('timeouts.idleMs', 30_001))).toBe('timeouts.idleMs');
  });

  it('refuses a backup model for evaluation only', () => {
    const result = validateRoutePolicy(good, { trafficClass: 'evaluation' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        status: 400,
        param: 'rungs.backupModel',
        message:
          "Invalid 'rungs.backupModel': the evaluation traffic class never changes the model; must be false.",
      },
    });
    expect(validateRoutePolicy(good, { trafficClass: 'interactive' }).ok).toBe(true);
    expect(
      validateRoutePolicy(withField('rungs.backupModel', false), { trafficClass: 'evaluation' }).ok,
    ).toBe(true);
  });

  it('prefixes the field with the given path', () => {
    expect(paramOf(withField('timeouts.idleMs', 0), { path: 'policies.background' })).toBe(
      'policies.background.timeouts.idleMs',
    );
  });
});
