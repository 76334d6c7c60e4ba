import type { ReactNode } from 'react';

/** One header cell: its label (visible, or `srOnly` for an unlabeled actions column) and alignment. */
export interface TableColumn {
  label: string;
  align?: 'left' | 'right';
  srOnly?: boolean;
  /** Page-edge column: wider padding, matching the body cells beneath it. */
  gutter?: boolean;
}

/** The console's table header row. */
export function TableHead({ columns }: { columns: readonly TableColumn[] }): ReactNode {
  return (
    <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
      <tr>
        {columns.map((column) => {
          const className = `${column.gutter ? 'px-6' : 'px-3'} py-2${column.align === 'right' ? ' text-right' : ''}`;
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
