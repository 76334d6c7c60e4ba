import { describe, expect, it } from 'vitest';
import { loadStartEnv } from './env';

describe('loadStartEnv: SWITCHYARD_DASHBOARD', () => {
  it('runs the console unless told off', () => {
    expect(loadStartEnv({}).SWITCHYARD_DASHBOARD).toBe('on');
    expect(loadStartEnv({ SWITCHYARD_DASHBOARD: 'off' }).SWITCHYARD_DASHBOARD).toBe('off');
  });

  it('refuses anything but on or off, naming the variable', () => {
    expect(() => loadStartEnv({ SWITCHYARD_DASHBOARD: 'no' })).toThrow(
      /SWITCHYARD_DASHBOARD: must be on or off/,
    );
  });
});
