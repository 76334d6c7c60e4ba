import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeCallbackUrl } from './safe-callback-url';

const CONSOLE = 'http://console.example:3000';

/** Where a browser on the console would land after `location.assign(result)`. */
function landing(result: string): URL {
  return new URL(result, CONSOLE);
}

describe('safeCallbackUrl', () => {
  it('replaces the tab trick as it arrives in a query string (?callbackUrl=/%09/evil)', () => {
    const value = new URLSearchParams('callbackUrl=/%09/evil.example').get('callbackUrl');
    expect(value).toBe('/\t/evil.example');
    expect(safeCallbackUrl(value)).toBe('/');
  });

  it.each([
    '/\t/evil.example',
    '/\n/evil.example',
    '//evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '/.//evil.example',
    'https://evil.example/keys',
    'http://console.example:3000/keys',
    'javascript:alert(1)',
    ' /keys',
    '',
  ])('replaces %j with /', (value) => {
    expect(safeCallbackUrl(value)).toBe('/');
  });

  it('keeps a path of the console with its query and fragment', () => {
    expect(safeCallbackUrl('/keys?team=a&q=%20x#top')).toBe('/keys?team=a&q=%20x#top');
    expect(safeCallbackUrl('/routes/rt_1')).toBe('/routes/rt_1');
  });

  it('never lands anywhere but the console, whatever the caller sends', () => {
    const pieces = fc.constantFrom(
      '/',
      '\\',
      '\t',
      '\n',
      '%09',
      '.',
      '..',
      '@',
      ':',
      '//',
      'evil.example',
      'keys',
      '?',
      '#',
      ' ',
    );
    const crafted = fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), crafted, fc.webUrl()), (value) => {
        const result = safeCallbackUrl(value);
        expect(result.startsWith('/')).toBe(true);
        expect(result.startsWith('//')).toBe(false);
        expect(landing(result).origin).toBe(CONSOLE);
      }),
      { numRuns: 2000 },
    );
  });
});
