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

/** Reads the presented API key where a protocol carries it (a surface's `readKey`). */
export type KeyReader = (req: IncomingMessage, url: string) => Result<string>;

/**
 * Authenticates the key `readKey` finds (its header or query parameter) against the in-memory snapshot: a
 * digest and a map read, no database.
 */
export function authenticate(
  ctx: RouterContext,
  readKey: KeyReader,
  req: IncomingMessage,
  url: string,
): Result<Authenticated> {
  const table = ctx.snapshots.current();
  if (!table)
    return fail(gatewayError('service_unavailable', 'The gateway is starting; retry shortly.', null, 1));
  const presented = readKey(req, url);
  if (!presented.ok) return presented;
  const authorized = authorizeKey(table.keyByDigest(ctx.digestKey(presented.value)), ctx.now());
  if (!authorized.ok) return authorized;
  return ok({ key: authorized.value, table });
}
