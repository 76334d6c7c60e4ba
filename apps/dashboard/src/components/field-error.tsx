/** Moved to `ui/field`; kept so pages written against the old path still build. */
export { FieldError } from './ui/field';
