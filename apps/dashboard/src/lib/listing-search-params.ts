/** A page's search parameters as Next hands them to a page. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** A search parameter as one non-empty string: the first of repeated values; undefined when absent or empty. */
function firstSearchParam(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** A keyset-paged listing's filters (only those given) and cursor, read from its page's URL. */
export function readListingParams<Name extends string>(
  params: SearchParams,
  names: readonly Name[],
): { filters: Partial<Record<Name, string>>; cursor: string | undefined } {
  const filters: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = firstSearchParam(params[name]);
    if (value !== undefined) filters[name] = value;
  }
  return { filters, cursor: firstSearchParam(params.cursor) };
}
