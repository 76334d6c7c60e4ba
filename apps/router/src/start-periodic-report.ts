import type { Logger } from './logger';

/**
 * Runs `report` every `intervalMs` off the request path: runs never overlap, a failure is logged once
 * until the next success (then "recovered"), and `stop` waits for a run in flight and makes a last one.
 */
export function startPeriodicReport(
  name: string,
  report: () => Promise<void>,
  intervalMs: number,
  logger: Logger,
): { stop(): Promise<void> } {
  let running: Promise<void> | null = null;
  let failing = false;
  const run = (): Promise<void> =>
    report().then(
      () => {
        if (failing) logger.info(`${name} reporting recovered`);
        failing = false;
      },
      (error: unknown) => {
        if (!failing) {
          logger.warn(`${name} report failed; will keep trying`, {
            error: error instanceof Error ? error.message : String(error),
          });
        }
        failing = true;
      },
    );
  const timer = setInterval(() => {
    if (running) return;
    running = run().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      await run();
    },
  };
}
