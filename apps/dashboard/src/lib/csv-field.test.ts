import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField } from './csv-field';

describe('csvField', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+1+cmd|calc', "'+1+cmd|calc"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
  ])('neutralises %j', (value, expected) => {
    expect(csvField(value)).toBe(expected);
  });

  it('leaves ordinary text and numbers alone, quoting per RFC 4180', () => {
    expect(csvField('team a')).toBe('team a');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(-5)).toBe('-5');
    expect(csvField('0.001234')).toBe('0.001234');
  });

  it('never yields a cell a spreadsheet would evaluate', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const field = csvField(value);
        const cell = field.startsWith('"') ? field.slice(1, -1).replaceAll('""', '"') : field;
        expect(/^[=+\-@\t\r]/.test(cell)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
