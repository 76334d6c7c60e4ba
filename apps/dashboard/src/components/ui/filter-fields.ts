// The filter bar's field descriptions: plain data a server page builds and hands to the (client) FilterBar.

/** One option of a select filter: the value the URL carries and the name an operator knows it by. */
export interface FilterChoice {
  value: string;
  label: string;
}

/**
 * One control of a filter bar. `time` is a `datetime-local` input in the reader's zone, carried in the URL as an
 * ISO instant; `text` is trimmed; `select` offers "any" first.
 */
export type FilterField =
  | { kind: 'time'; name: string; label: string }
  | { kind: 'text'; name: string; label: string; placeholder?: string }
  | { kind: 'select'; name: string; label: string; options: readonly FilterChoice[] };

/** Choices from plain values, shown as they are (statuses, traffic classes). */
export const verbatimChoices = (values: readonly string[]): FilterChoice[] =>
  values.map((value) => ({ value, label: value }));

/** From and To, first in every listing's filters. */
export const TIME_RANGE_FIELDS = [
  { kind: 'time', name: 'from', label: 'From' },
  { kind: 'time', name: 'to', label: 'To' },
] as const satisfies readonly FilterField[];
