import { AdminRepositoryError } from '@switchyard/db/admin';
import { ZodError } from 'zod';

/** The admin API's closed error vocabulary. */
export type AdminErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'internal';

export const ADMIN_ERROR_STATUS: Record<AdminErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

/** An expected failure of an admin operation, safe to show to the caller. */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** The request field at fault, for invalid_request and conflict. */
    readonly field?: string,
    /** Every problem found, when there are several (an imported file): each with its JSON path. */
    readonly issues?: readonly { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Renders a zod issue path as the caller wrote it: `targets[0].accountId`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** Maps anything thrown by a server function onto the admin vocabulary; unknown errors become `internal`. */
export function toAdminError(error: unknown): AdminError {
  if (error instanceof AdminError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const field = issue ? fieldPath(issue.path) || 'body' : 'body';
    return new AdminError('invalid_request', `${field}: ${issue?.message ?? 'is invalid'}`, field);
  }
  if (error instanceof AdminRepositoryError) {
    const code = error.kind === 'conflict' ? 'conflict' : 'invalid_request';
    return new AdminError(code, `${error.field}: ${error.message}`, error.field);
  }
  return new AdminError('internal', 'Internal error.');
}
