/** Position after the last row of a page, for listings ordered by (createdAt desc, id desc). */
export interface PageCursor {
  /** Epoch ms of the last row's createdAt. */
  at: number;
  id: string;
}

/** Opaque to clients: base64url of "<epoch ms>:<id>". */
export function encodePageCursor(cursor: PageCursor): string {
  return Buffer.from(`${cursor.at}:${cursor.id}`, 'utf8').toString('base64url');
}

/** Returns null for anything encodePageCursor did not produce. */
export function decodePageCursor(text: string): PageCursor | null {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator <= 0) return null;
  const at = Number(decoded.slice(0, separator));
  const id = decoded.slice(separator + 1);
  if (!Number.isSafeInteger(at) || at < 0 || id.length === 0) return null;
  return { at, id };
}

/** Splits a `limit + 1` result into a page and the cursor for the next one. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  position: (row: Row) => PageCursor,
  map: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(map),
    nextCursor: hasMore && last ? encodePageCursor(position(last)) : null,
  };
}
