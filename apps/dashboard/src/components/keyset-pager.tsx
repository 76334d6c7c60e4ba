import Link from 'next/link';

/**
 * "← Newest" and "Older →" under a keyset-paged listing: links that keep the page's filters, Older carrying the
 * cursor the API returned (none on the last page), Newest shown once the reader has paged away from the top.
 */
export function KeysetPager({
  path,
  label,
  filters,
  cursor,
  nextCursor,
}: {
  /** The page's own path, e.g. `/audit`. */
  path: string;
  /** Accessible name of the navigation, e.g. "Audit pages". */
  label: string;
  filters: Readonly<Partial<Record<string, string>>>;
  /** The cursor the current page was read from, if any. */
  cursor: string | undefined;
  nextCursor: string | null;
}) {
  const newest = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) if (value !== undefined) newest.set(name, value);
  const next = new URLSearchParams(newest);
  if (nextCursor) next.set('cursor', nextCursor);
  return (
    <nav aria-label={label} className="flex gap-4 px-6 py-4 text-sm">
      {cursor ? (
        <Link href={`${path}${newest.size > 0 ? `?${newest}` : ''}`} className="text-slate-700 underline">
          ← Newest
        </Link>
      ) : null}
      {nextCursor ? (
        <Link href={`${path}?${next}`} className="text-slate-700 underline">
          Older →
        </Link>
      ) : null}
    </nav>
  );
}
