import type { NextRequest } from 'next/server';
import type { z } from 'zod';
import { AdminError } from '../server/admin-error';

/** Parses a JSON body with a schema; a schema failure surfaces as a ZodError naming the field. */
export async function parseJsonBody<S extends z.ZodType>(req: NextRequest, schema: S): Promise<z.infer<S>> {
  if (!req.headers.get('content-type')?.toLowerCase().startsWith('application/json')) {
    throw new AdminError('invalid_request', 'body: send Content-Type: application/json', 'body');
  }
  let body: unknown;
  try {
    body = await req.json();
  } catch {
    throw new AdminError('invalid_request', 'body: is not valid JSON', 'body');
  }
  return schema.parse(body);
}

/** Parses the query string with a schema; repeated parameters keep their last value. */
export function parseQuery<S extends z.ZodType>(req: NextRequest, schema: S): z.infer<S> {
  return schema.parse(Object.fromEntries(req.nextUrl.searchParams));
}
