import { storableTextIssue } from '@switchyard/core';
import { decodePageCursor, type PageCursor } from '@switchyard/db/admin';
import { z } from 'zod';
import { AdminError } from './admin-error';

export const MAX_PAGE_SIZE = 500;

/** Query fields shared by every paginated listing. */
export function pageQueryFields(defaultLimit: number) {
  return {
    limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(defaultLimit),
    cursor: z.string().min(1).optional(),
  };
}

export function parseCursor(text: string | undefined): PageCursor | null {
  if (text === undefined) return null;
  const cursor = decodePageCursor(text);
  // A forged cursor can carry any bytes; one PostgreSQL would refuse (a NUL) is as invalid as garbage.
  if (!cursor || storableTextIssue(cursor.id, 1_000) !== null)
    throw new AdminError('invalid_request', 'cursor: is not a cursor this API returned', 'cursor');
  return cursor;
}
