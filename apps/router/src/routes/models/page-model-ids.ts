/** One page of a sorted list of model ids, and whether the list goes on past it in the direction read. */
export interface ModelIdPage {
  ids: string[];
  hasMore: boolean;
}

/**
 * A page of `sorted` (ascending, no duplicates) by cursor, as Anthropic's and Google's model lists page: the
 * `limit` ids after `afterId`, or the `limit` ids just before `beforeId`, or the first `limit`. A cursor is
 * compared, not looked up, so a model removed between two pages neither breaks the walk nor repeats an id.
 */
export function pageModelIds(
  sorted: readonly string[],
  cursor: { afterId?: string | null; beforeId?: string | null; limit: number },
): ModelIdPage {
  const { afterId, beforeId, limit } = cursor;
  if (beforeId != null) {
    const end = lowerBound(sorted, beforeId);
    const start = Math.max(0, end - limit);
    return { ids: sorted.slice(start, end), hasMore: start > 0 };
  }
  const start = afterId == null ? 0 : upperBound(sorted, afterId);
  const end = Math.min(sorted.length, start + limit);
  return { ids: sorted.slice(start, end), hasMore: end < sorted.length };
}

/** Index of the first id not less than `id`. */
function lowerBound(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first id greater than `id`. */
function upperBound(sorted: readonly string[], id: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) <= id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
