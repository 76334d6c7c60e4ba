export { waitFor } from '@switchyard/db/testing';
export * from './start-extra-router';
export * from './start-stack';
export * from './tcp-proxy';
