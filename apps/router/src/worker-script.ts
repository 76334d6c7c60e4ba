/** What `new Worker(filename, { eval })` needs to run one of the router's worker entries. */
export interface WorkerScript {
  filename: string | URL;
  eval: boolean;
}

/**
 * The worker entry `name` beside the calling module (`callerUrl`: its `import.meta.url`).
 *
 * Compiled (apps/router/dist, what every start command runs) the build puts each worker entry beside `router.js`,
 * so the thread loads plain JavaScript. Run from TypeScript source (the in-process tests under vitest), Node 20
 * does not apply the main thread's loader to worker threads, so the thread loads its entry through tsx's own
 * `tsImport`; the loader is resolved only on that path and never in production.
 */
export function workerScript(callerUrl: string, name: string): WorkerScript {
  if (!callerUrl.endsWith('.ts')) return { filename: new URL(`./${name}.js`, callerUrl), eval: false };
  const entry = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  const tsxApi = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return {
    filename: `import(${tsxApi}).then(({ tsImport }) => tsImport(${entry}, ${entry}));`,
    eval: true,
  };
}
