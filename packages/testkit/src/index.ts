export { waitFor } from '@switchyard/db/testing';
export * from './start-stack';
