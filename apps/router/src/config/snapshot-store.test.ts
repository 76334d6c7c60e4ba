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
});
