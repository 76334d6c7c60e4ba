import os from 'node:os';

/**
 * Lowers the calling worker thread to `nice`, so that when it and the request thread both want one core the
 * request thread goes first. On Linux a nice value belongs to a thread (pid 0 is the caller alone); elsewhere, or
 * without permission, the thread keeps the router's own priority: not fatal, it just competes.
 */
export function lowerThreadPriority(nice: number): void {
  try {
    os.setPriority(0, nice);
  } catch {
    // See above: the thread runs at the router's priority.
  }
}
