import type { IncomingHttpHeaders } from 'node:http';

// The scheme is case-insensitive (RFC 9110 §11.1); a token68 credential has no whitespace.
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The API key a request presents as `Authorization: Bearer <key>`, which is how the mock tells upstream
 * accounts apart (`byKey` faults and stats). `undefined` without one, or for another scheme.
 */
export function bearerKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization === undefined) return undefined;
  return BEARER.exec(authorization)?.[1];
}
