/** Moved to `ui/badge`; kept so pages written against the old path still build. */
export { StatusBadge } from './ui/badge';
