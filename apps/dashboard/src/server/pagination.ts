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
  if (!cursor) throw new AdminError('invalid_request', 'cursor: is not a cursor this API returned', 'cursor');
  return cursor;
}
