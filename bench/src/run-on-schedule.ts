/**
 * Starts `total` calls of `fire` on a fixed schedule, one every `intervalMs` (open loop, like wrk2): a slow
 * call does not delay the next one. `fire` gets its index and the time it was due, so callers can record
 * how late the generator itself was. Resolves when every call has finished; returns when the schedule began.
 */
export async function runOnSchedule(
  total: number,
  intervalMs: number,
  fire: (index: number, dueAt: number) => Promise<void>,
): Promise<number> {
  const startedAt = performance.now() + 1;
  const pending = new Set<Promise<void>>();
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && startedAt + next * intervalMs <= now) {
        const call = fire(next, startedAt + next * intervalMs);
        pending.add(call);
        void call.finally(() => pending.delete(call));
        next++;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, startedAt + next * intervalMs - performance.now()));
    };
    setTimeout(tick, 1);
  });
  await Promise.all(pending);
  return startedAt;
}
