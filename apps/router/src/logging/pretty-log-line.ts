/** Keys every line has, shown in the line's head rather than as fields. */
const HEAD = new Set(['level', 'time', 'service', 'pid', 'msg']);

/**
 * One JSON log line (as pino writes it, secrets already removed) as a line for a terminal (LOG_FORMAT=pretty):
 * `10:31:02.118 WARN  upstream attempt failed requestId=req_… status=503`. A line that is not JSON passes as is.
 */
export function prettyLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level ?? '').toUpperCase();
  const fields = Object.entries(entry)
    .filter(([key]) => !HEAD.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return `${[time, level.padEnd(5), entry.msg ?? '', ...fields].join(' ')}\n`;
}
