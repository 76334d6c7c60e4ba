/** Moved to `ui/table`; kept so pages written against the old path still build. */
export { type TableColumn, TableHead } from './ui/table';
