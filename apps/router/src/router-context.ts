import type { Dispatcher } from 'undici';
import type { SnapshotStore } from './config/snapshot-store';
import type { Logger } from './logger';
import type { UsageSink } from './usage/usage-sink';

/** Limits the request path applies, taken from the validated environment. */
export interface RouterLimits {
  maxBodyBytes: number;
  maxAttempts: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
}

/** Everything a handler needs, wired once in main.ts. */
export interface RouterContext {
  snapshots: SnapshotStore;
  usage: UsageSink;
  dispatcher: Dispatcher;
  limits: RouterLimits;
  logger: Logger;
  /** Digest of a presented API key (sha256 hex). */
  digestKey: (plaintext: string) => string;
  now: () => number;
  random: () => number;
}
