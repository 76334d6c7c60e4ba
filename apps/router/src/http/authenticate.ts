import type { IncomingMessage } from 'node:http';
import {
  type ApiKeyRecord,
  authorizeKey,
  fail,
  gatewayError,
  ok,
  type Result,
  type RoutingTable,
} from '@switchyard/core';
import type { RouterContext } from '../router-context';

export interface Authenticated {
  key: ApiKeyRecord;
  table: RoutingTable;
}

/** Bearer-key authentication against the in-memory snapshot: a digest and a map read, no database. */
export function authenticate(ctx: RouterContext, req: IncomingMessage): Result<Authenticated> {
  const table = ctx.snapshots.current();
  if (!table)
    return fail(gatewayError('service_unavailable', 'The gateway is starting; retry shortly.', null, 1));
  const header = req.headers.authorization;
  if (!header) {
    return fail(
      gatewayError(
        'missing_api_key',
        "You didn't provide an API key. Use the header 'Authorization: Bearer <key>'.",
      ),
    );
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    return fail(gatewayError('invalid_api_key', "Malformed Authorization header; expected 'Bearer <key>'."));
  }
  const authorized = authorizeKey(table.keyByDigest(ctx.digestKey(match[1])), ctx.now());
  if (!authorized.ok) return authorized;
  return ok({ key: authorized.value, table });
}
