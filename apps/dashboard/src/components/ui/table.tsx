import type { ReactNode } from 'react';

/** One header cell: its label (visible, or `srOnly` for an unlabeled actions column) and alignment. */
export interface TableColumn {
  label: string;
  align?: 'left' | 'right';
  srOnly?: boolean;
  /** Page-edge column: wider padding, matching the body cells beneath it. */
  gutter?: boolean;
  /** Hidden below this width, for columns a phone can do without (the row keeps its essentials). */
  hideBelow?: 'sm' | 'md' | 'lg' | 'xl' | '2xl';
  /** Stays at the right edge while the rest scrolls: the row's actions are always in reach. */
  stickyEnd?: boolean;
}

/** The body cell class of a `stickyEnd` column (opaque, so scrolled cells pass beneath it). */
export const STICKY_END_CELL = 'sticky right-0 bg-white';

/**
 * Tailwind needs literal class names. Shared by the header and the body cells so a hidden column hides whole.
 * `table-cell` rather than `block`: the cell must stay a cell when shown.
 */
export const HIDE_BELOW: Record<NonNullable<TableColumn['hideBelow']>, string> = {
  sm: 'hidden sm:table-cell',
  md: 'hidden md:table-cell',
  lg: 'hidden lg:table-cell',
  xl: 'hidden xl:table-cell',
  '2xl': 'hidden 2xl:table-cell',
};

/** The console's table header row. */
export function TableHead({ columns }: { columns: readonly TableColumn[] }): ReactNode {
  return (
    <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
      <tr>
        {columns.map((column) => {
          const className = [
            column.gutter ? 'px-6' : 'px-3',
            'py-2 whitespace-nowrap',
            column.align === 'right' ? 'text-right' : '',
            column.hideBelow ? HIDE_BELOW[column.hideBelow] : '',
            column.stickyEnd ? 'sticky right-0 bg-slate-50' : '',
          ]
            .filter(Boolean)
            .join(' ');
          return (
            <th key={column.label} scope="col" className={className}>
              {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

/**
 * A table that scrolls sideways inside its card rather than pushing the page wider: the card keeps the page's
 * width at any screen size, and a wide table shows a scrollbar of its own. `relative` keeps absolutely placed
 * cells' content (the `sr-only` header of an actions column) inside the scroller; without it that 1-px span sits
 * at the table's far edge and widens the whole document.
 */
export function Table({
  columns,
  children,
  className = 'mt-3',
  testId,
}: {
  columns: readonly TableColumn[];
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <div className={`relative max-w-full overflow-x-auto ${className}`} data-testid={testId}>
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <TableHead columns={columns} />
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

/** Long text (ids, model lists, errors) cut to one line with the whole of it on hover. */
export function Truncate({ text, className = 'max-w-[16rem]' }: { text: string; className?: string }) {
  return (
    <span className={`block truncate ${className}`} title={text}>
      {text}
    </span>
  );
}

/** The card's "nothing here yet" line. */
export function EmptyRow({ children }: { children: ReactNode }) {
  return <p className="px-6 py-8 text-sm text-slate-500">{children}</p>;
}
