import { readListingParams, type SearchParams } from '@/lib/listing-search-params';

/** The keys page's URL filters; `team` is also the create form's default team (the teams page links here). */
export const KEY_FILTER_NAMES = ['q', 'team', 'environment', 'tag', 'status'] as const;

export type KeyListFilterValues = Partial<Record<(typeof KEY_FILTER_NAMES)[number], string>>;

/**
 * The page's filters as the list API's query: without a status the page hides revoked keys, `status=all` shows
 * them too. Values are checked by `listKeysQuery`, like the API's.
 */
export function keyListQuery(params: SearchParams): {
  filters: KeyListFilterValues;
  cursor: string | undefined;
  query: Record<string, string | undefined>;
} {
  const { filters, cursor } = readListingParams(params, KEY_FILTER_NAMES);
  const { team, status, ...rest } = filters;
  return {
    filters,
    cursor,
    query: {
      ...rest,
      teamId: team,
      ...(status === 'all'
        ? { includeRevoked: 'true' }
        : status === undefined
          ? { includeRevoked: 'false' }
          : { status }),
      cursor,
    },
  };
}
