import { type ConfigSnapshot, RoutingTable } from '@switchyard/core';
import type { Logger } from '../logger';

export interface SnapshotStoreOptions {
  load: () => Promise<ConfigSnapshot>;
  /**
   * The database's configuration version now (see ConfigSnapshot.configVersion). With it, a periodic refresh
   * reloads everything only when the version moved (a change whose notification was missed) or the last full
   * load is `fullRefreshIntervalMs` old; otherwise it only calls `refreshSpend`. Without it, every periodic
   * refresh is a full load.
   */
  version?: () => Promise<string | null>;
  /** Between full loads: re-reads what changes without a configuration change (budget spend). */
  refreshSpend?: (snapshot: ConfigSnapshot) => Promise<void>;
  /** A full load at least this often even when the version says nothing changed. */
  fullRefreshIntervalMs?: number;
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
  private snapshot: ConfigSnapshot | null = null;
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
    this.interval = setInterval(() => void this.refresh(), this.options.refreshIntervalMs);
    this.interval.unref();
  }

  current(): RoutingTable | null {
    return this.table;
  }

  /** The configuration version the current snapshot was read at; null before the first load or when unknown. */
  configVersion(): string | null {
    return this.snapshot?.configVersion ?? null;
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

  /**
   * The periodic safety net. A full load rebuilds every object the hot path reads (and V8 then re-optimizes the
   * code that reads them: measured in bench/ as a latency tail every refresh), so when the configuration
   * version is unchanged only budget spend is re-read.
   */
  async refresh(): Promise<void> {
    const { version, refreshSpend, fullRefreshIntervalMs } = this.options;
    if (this.loading) return this.loading; // a load in flight is as fresh as this tick asks for
    const snapshot = this.snapshot;
    if (!version || !snapshot || snapshot.configVersion === undefined) return this.reload();
    if (fullRefreshIntervalMs !== undefined && Date.now() - snapshot.loadedAt >= fullRefreshIntervalMs) {
      return this.reload();
    }
    try {
      if ((await version()) !== snapshot.configVersion) return this.reload();
      // A full load that finished meanwhile carries fresh spend already.
      if (this.snapshot === snapshot) await refreshSpend?.(snapshot);
    } catch (error) {
      this.options.logger.warn('config refresh failed; serving the last good snapshot', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
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
      this.snapshot = snapshot;
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
