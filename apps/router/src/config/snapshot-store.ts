import { type ConfigSnapshot, RoutingTable } from '@switchyard/core';
import type { Logger } from '../logger';

export interface SnapshotStoreOptions {
  load: () => Promise<ConfigSnapshot>;
  /** Subscribes to change notifications; returns an unsubscribe function. */
  subscribe: (onChange: () => void) => { close(): Promise<void> | void };
  /** Called with every snapshot loaded, before the hot path sees its table. */
  onLoad?: (snapshot: ConfigSnapshot) => void;
  refreshIntervalMs: number;
  logger: Logger;
}

/**
 * Holds the routing table the hot path reads synchronously. Reloads on every change notification
 * (coalesced) and on a periodic safety-net refresh; when the database is away it keeps serving the
 * last good snapshot.
 */
export class SnapshotStore {
  private table: RoutingTable | null = null;
  private loading: Promise<void> | null = null;
  private dirty = false;
  private interval: NodeJS.Timeout | null = null;
  private subscription: { close(): Promise<void> | void } | null = null;

  constructor(private readonly options: SnapshotStoreOptions) {}

  /** Loads the first snapshot (retrying until it succeeds) and starts following changes. */
  async start(): Promise<void> {
    this.subscription = this.options.subscribe(() => this.reload());
    let delay = 250;
    for (;;) {
      await this.reload();
      if (this.table) break;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 5_000);
    }
    this.interval = setInterval(() => void this.reload(), this.options.refreshIntervalMs);
    this.interval.unref();
  }

  current(): RoutingTable | null {
    return this.table;
  }

  /** Reloads now; concurrent calls coalesce into at most one extra load. */
  reload(): Promise<void> {
    if (this.loading) {
      this.dirty = true;
      return this.loading;
    }
    this.loading = this.loadOnce().finally(() => {
      this.loading = null;
      if (this.dirty) {
        this.dirty = false;
        void this.reload();
      }
    });
    return this.loading;
  }

  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    await this.subscription?.close();
  }

  private async loadOnce(): Promise<void> {
    const started = Date.now();
    try {
      const snapshot = await this.options.load();
      this.options.onLoad?.(snapshot);
      this.table = new RoutingTable(snapshot);
      this.options.logger.debug('config snapshot loaded', {
        keys: snapshot.keys.length,
        routes: snapshot.routes.length,
        ms: Date.now() - started,
      });
    } catch (error) {
      this.options.logger.warn('config snapshot load failed; serving the last good snapshot', {
        error: error instanceof Error ? error.message : String(error),
        hasSnapshot: this.table !== null,
      });
    }
  }
}
