/**
 * SQLSTATE classes in which PostgreSQL refuses a statement for the DATA it was given, so sending the same rows
 * again can never succeed: 22 data exception (bad text or number, NUL, out of range), 23 integrity constraint
 * violation, 54 program limit exceeded (an index row too large). Everything else (connection loss, 08; lock and
 * serialization failures, 40; shutdown, 57; resources, 53; ...) is about the moment, not the rows: retry.
 */
const DATA_CLASSES = new Set(['22', '23', '54']);

/** What a refusal says: PostgreSQL's message and SQLSTATE. */
export interface SqlDataRefusal {
  message: string;
  sqlState: string;
}

/** The refusal when `error` is PostgreSQL refusing the statement's data (see DATA_CLASSES); null otherwise. */
export function sqlDataRefusal(error: unknown): SqlDataRefusal | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || code.length !== 5 || !DATA_CLASSES.has(code.slice(0, 2))) return null;
  return { sqlState: code, message: typeof message === 'string' ? message : code };
}
