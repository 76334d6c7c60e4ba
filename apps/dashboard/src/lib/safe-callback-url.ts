const PROBE_ORIGIN = 'http://switchyard.invalid';

/**
 * Where to go after sign-in: a path of this console, or `/`. Browsers drop tabs and newlines from URLs and read
 * `\` as `/`, so `/%09/evil`, `/\evil` and `//evil` all mean another host; anything that is not plainly a path
 * of this origin after the same parsing a browser does is replaced, never repaired.
 */
export function safeCallbackUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2048) return '/';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (!value.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(value)) return '/';
  let parsed: URL;
  try {
    parsed = new URL(value, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  if (parsed.origin !== PROBE_ORIGIN) return '/';
  const path = `${parsed.pathname}${parsed.search}${parsed.hash}`;
  // `/.//evil` parses to the path `//evil`, which a browser would read as another host.
  return path.startsWith('//') ? '/' : path;
}
