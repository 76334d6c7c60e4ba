import type { ConfigSnapshot } from '@switchyard/core';
import { waitFor } from '@switchyard/db/testing';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { SnapshotStore } from './snapshot-store';

const snapshot = (loadedAt: number): ConfigSnapshot => ({
  keys: [],
  providers: [],
  accounts: [],
  routes: [],
  prices: [],
  budgets: [],
  loadedAt,
});

describe('SnapshotStore', () => {
  it('keeps serving the last good snapshot when a reload fails', async () => {
    let calls = 0;
    const store = new SnapshotStore({
      load: async () => {
        calls++;
        if (calls === 2) throw new Error('database away');
        return snapshot(calls);
      },
      subscribe: () => ({ close: () => {} }),
      refreshIntervalMs: 60_000,
      logger: createLogger('error'),
    });
    await store.start();
    expect(store.current()?.loadedAt).toBe(1);
    await store.reload();
    expect(store.current()?.loadedAt).toBe(1);
    await store.reload();
    expect(store.current()?.loadedAt).toBe(3);
    await store.stop();
  });

  it('coalesces a burst of change notifications into at most one extra load', async () => {
    let calls = 0;
    let notify = () => {};
    const store = new SnapshotStore({
      load: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return snapshot(calls);
      },
      subscribe: (onChange) => {
        notify = onChange;
        return { close: () => {} };
      },
      refreshIntervalMs: 60_000,
      logger: createLogger('error'),
    });
    await store.start();
    expect(calls).toBe(1);
    for (let i = 0; i < 10; i++) notify();
    await store.reload();
    // The burst started one load and marked one more; the last reload call joined the load in progress.
    await waitFor('the coalesced reload', () => store.current()?.loadedAt === 3);
    expect(calls).toBe(3);
    expect(store.current()?.loadedAt).toBe(3);
    await store.stop();
  });

  describe('periodic refresh with a configuration version', () => {
    /** A store over a fake database: `state.version` is the version now, loads stamp it on the snapshot. */
    const versioned = (state: { version: string | null; now: number }, fullRefreshIntervalMs?: number) => {
      const calls = { loads: 0, versions: 0, spend: [] as number[] };
      const store = new SnapshotStore({
        load: async () => {
          calls.loads++;
          return { ...snapshot(state.now), configVersion: state.version ?? undefined };
        },
        version: async () => {
          calls.versions++;
          return state.version;
        },
        refreshSpend: async (current) => {
          calls.spend.push(current.loadedAt);
        },
        fullRefreshIntervalMs,
        subscribe: () => ({ close: () => {} }),
        refreshIntervalMs: 60_000,
        logger: createLogger('error'),
      });
      return { store, calls };
    };

    it('re-reads only budget spend while the version is unchanged, and reloads once it moves', async () => {
      const state = { version: '7', now: Date.now() };
      const { store, calls } = versioned(state);
      await store.start();
      const table = store.current();
      await store.refresh();
      await store.refresh();
      expect(calls).toEqual({ loads: 1, versions: 2, spend: [state.now, state.now] });
      expect(store.current()).toBe(table); // the hot path keeps the very same objects

      state.version = '8';
      await store.refresh();
      expect(calls.loads).toBe(2);
      expect(calls.spend).toHaveLength(2);
      expect(store.current()).not.toBe(table);
      await store.stop();
    });

    it('reloads in full when the last full load is older than the full-refresh interval', async () => {
      const state = { version: '7', now: Date.now() - 10_000 };
      const { store, calls } = versioned(state, 5_000);
      await store.start();
      state.now = Date.now(); // what the next load is stamped with
      await store.refresh();
      expect(calls).toEqual({ loads: 2, versions: 0, spend: [] });
      await store.refresh();
      expect(calls).toEqual({ loads: 2, versions: 1, spend: [state.now] });
      await store.stop();
    });

    it('lets a load already in flight answer a periodic tick, without queueing another', async () => {
      const state = { version: '7', now: Date.now() };
      const { store, calls } = versioned(state);
      await store.start();
      const notified = store.reload();
      await store.refresh();
      await notified;
      expect(calls).toEqual({ loads: 2, versions: 0, spend: [] });
      await store.stop();
    });

    it('reloads in full when the database has no version to compare', async () => {
      const state = { version: null as string | null, now: Date.now() };
      const { store, calls } = versioned(state);
      await store.start();
      await store.refresh();
      expect(calls).toEqual({ loads: 2, versions: 0, spend: [] });
      await store.stop();
    });
  });
});
