import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

// The writer, token-count and span-export threads lower themselves so the request thread wins a shared core. On
// Linux a nice value is per thread: the caller's thread drops, the process's other threads (this one) do not.
describe('lowerThreadPriority', () => {
  it.runIf(process.platform === 'linux')(
    'lowers only the thread that calls it',
    async () => {
      const before = os.getPriority(0);
      const entry = JSON.stringify(new URL('./lower-thread-priority.ts', import.meta.url).href);
      const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
      const worker = new Worker(
        `const { parentPort } = require('node:worker_threads');
       import(${tsxApi})
         .then(({ tsImport }) => tsImport(${entry}, ${entry}))
         .then(({ lowerThreadPriority }) => {
           lowerThreadPriority(${before} + 3);
           parentPort.postMessage(require('node:os').getPriority(0));
         });`,
        { eval: true },
      );
      const inThread = await new Promise<number>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(inThread).toBe(Math.min(19, before + 3));
      expect(os.getPriority(0)).toBe(before);
    },
    20_000,
  );
});
