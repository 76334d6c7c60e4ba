import { REDACTED } from './redact-secret';

/**
 * `Bearer <token>` / `Basic <token>` anywhere in a line (a header echoed in an error message); the token is
 * whatever follows up to a space or the end of the JSON string, valid token characters or not.
 */
const AUTH_SCHEME = /\b(Bearer|Basic)(\s+)[^\s"'\\,;)]+/gi;
/** A credential in a URL's query (`?key=` is how Gemini REST clients send theirs). */
const QUERY_SECRET = /([?&](?:key|api[-_]?key|access_token|token|sig|signature)=)[^&\s"'#\\]+/gi;
/** `scheme://user:password@host` (a database, Redis or collector URL in an error message). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]*:)[^/\s@"]+@/gi;
/** A gateway API key (`sk-sy-` and 43 base62 characters), wherever it appears. */
const GATEWAY_KEY = /\bsk-sy-[A-Za-z0-9]{8,}/g;

/**
 * The last guard of every log line (the router's and the dashboard's), applied to the JSON text as written:
 * removes secrets recognisable by their shape, whatever field or message they ended up in. Loggers redact named
 * fields first; a credential with no recognisable shape (an upstream key echoed in an error) is the caller's to
 * redact by value before logging it (redactSecret).
 */
export function scrubSecrets(line: string): string {
  return line
    .replace(AUTH_SCHEME, `$1$2${REDACTED}`)
    .replace(QUERY_SECRET, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(GATEWAY_KEY, REDACTED);
}
