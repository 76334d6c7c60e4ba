/** First characters that make a spreadsheet read a cell as a formula (or as a break before one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: quoted when it holds a comma, quote or line break. Text that a spreadsheet would run as a
 * formula (`=`, `+`, `-`, `@`, tab or CR first; key names, tags and labels are chosen by users) is prefixed with
 * `'` so it opens as text. Numbers are written as they are.
 */
export function csvField(value: string | number | bigint): string {
  if (typeof value !== 'string') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
