export { SnapshotStore } from './config/snapshot-store';
export { loadRouterEnv, type RouterEnv } from './env';
export { createLogger, type Logger } from './logger';
export type { RouterContext, RouterLimits } from './router-context';
export { createRouterServer, newRequestId } from './server';
export { BatchedUsageSink } from './usage/batched-usage-sink';
export type { UsageSink } from './usage/usage-sink';
