import { REDACTED, scrubSecrets } from '@switchyard/core';
import pino, { type DestinationStream } from 'pino';
import { prettyLogLine } from './logging/pretty-log-line';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** `json`: one JSON object a line (production); `pretty`: one readable line each, for a terminal. */
export type LogFormat = 'json' | 'pretty';

/**
 * Structured logs: one JSON object a line on stdout (pino), `{"level","time","service","pid",…fields,"msg"}`.
 * Request-scoped lines carry `requestId`. Secrets are removed twice over: by field path (REDACT_PATHS) and by
 * shape in the written line (scrubSecrets); an upstream's own text is redacted of its credential by the caller.
 */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const SECRET_HEADERS = [
  'authorization',
  '["proxy-authorization"]',
  'cookie',
  '["set-cookie"]',
  '["x-api-key"]',
  '["x-goog-api-key"]',
  '["api-key"]',
];
const SECRET_FIELDS = [
  'credential',
  'credentials',
  'apiKey',
  'api_key',
  'key',
  'password',
  'secret',
  'token',
  'authorization',
];
const at = (parent: string, name: string) =>
  name.startsWith('[') ? `${parent}${name}` : `${parent}.${name}`;

/**
 * Fields whose values never reach a log line, at the top level and one object down (`headers` of a request
 * line, `upstream.headers`, `account.credential`, …): the gateway's and the upstreams' key headers, cookies,
 * and anything named like a credential.
 */
export const REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADERS.map((h) => at('headers', h)),
  ...SECRET_HEADERS.map((h) => at('*.headers', h)),
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
];

export interface LoggerOptions {
  service?: string;
  format?: LogFormat;
  /** Where lines go (tests); stdout by default, written synchronously so nothing is lost at exit or crash. */
  destination?: DestinationStream;
}

const noop = () => {};

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  const out = options.destination ?? pino.destination({ dest: 1, sync: true });
  const destination: DestinationStream =
    options.format === 'pretty' ? { write: (line: string) => out.write(prettyLogLine(line)) } : out;
  const log = pino(
    {
      level,
      base: { service: options.service ?? 'router', pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACT_PATHS], censor: REDACTED },
      hooks: { streamWrite: scrubSecrets },
    },
    destination,
  );
  // Levels below LOG_LEVEL are bound to a no-op once, so a disabled line costs one call.
  const method = (name: LogLevel): Logger[LogLevel] => {
    if (!log.isLevelEnabled(name)) return noop;
    const write = log[name].bind(log);
    return (message, fields) => (fields === undefined ? write(message) : write(fields, message));
  };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
