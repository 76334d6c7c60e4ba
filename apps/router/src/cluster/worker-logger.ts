import type { Logger } from '../logger';

/** A worker's logger: every line says which ROUTER_WORKERS slot wrote it, as the workers share one output. */
export function workerLogger(logger: Logger, worker: number): Logger {
  return {
    debug: (message, fields) => logger.debug(message, { worker, ...fields }),
    info: (message, fields) => logger.info(message, { worker, ...fields }),
    warn: (message, fields) => logger.warn(message, { worker, ...fields }),
    error: (message, fields) => logger.error(message, { worker, ...fields }),
  };
}
