export { waitFor } from '@switchyard/db/testing';
export * from './run-process';
export * from './start-extra-router';
export * from './start-stack';
export * from './tcp-proxy';
export * from './test-python';
export * from './unreachable-limits';
