import { describe, expect, it } from 'vitest';
import { withNodeFlags } from './package-script-command';

describe('withNodeFlags (one flag of a start script changed for one run)', () => {
  const script = ['--max-semi-space-size=16', '--single-threaded-gc', 'dist/router.js'];

  it('replaces the script’s flag of the same name and keeps the others and the entry in place', () => {
    expect(withNodeFlags(script, ['--max-semi-space-size=4'])).toEqual([
      '--max-semi-space-size=4',
      '--single-threaded-gc',
      'dist/router.js',
    ]);
  });

  it('adds a flag the script does not have before the entry, and leaves the script as it is without flags', () => {
    expect(withNodeFlags(script, ['--trace-gc'])).toEqual([
      '--max-semi-space-size=16',
      '--single-threaded-gc',
      '--trace-gc',
      'dist/router.js',
    ]);
    expect(withNodeFlags(['dist/router.js', '--port'], ['--max-semi-space-size=1'])).toEqual([
      '--max-semi-space-size=1',
      'dist/router.js',
      '--port',
    ]);
    expect(withNodeFlags(script, [])).toEqual(script);
  });

  it('refuses something that is not a Node flag', () => {
    expect(() => withNodeFlags(script, ['dist/other.js'])).toThrow(/not a Node flag/);
  });
});
