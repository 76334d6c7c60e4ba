import { scrubSecrets } from '@switchyard/core';

/**
 * One server-side log line of the console, in the router's shape (`{"level","time","service","pid",…,"msg"}`, one
 * JSON object a line) with secrets of a recognisable shape removed (core's scrubSecrets: bearer tokens, `?key=`,
 * URL passwords, gateway keys). The console logs only what failed unexpectedly; `error` is the thrown value.
 */
export function logServerEvent(
  level: 'warn' | 'error',
  msg: string,
  fields: Record<string, unknown> & { error?: unknown } = {},
): void {
  const { error, ...rest } = fields;
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    service: 'dashboard',
    pid: process.pid,
    ...rest,
    ...(error === undefined
      ? {}
      : { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    msg,
  });
  console.error(scrubSecrets(line));
}
