import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger';

/**
 * The debug line of one request (LOG_LEVEL=debug only): written when its response closes, with the status
 * answered, whether the response finished (false: the client or the router cut it), the time taken and the
 * request's headers. The key headers are redacted by the logger's paths, a `?key=` by its scrubber.
 */
export function logRequest(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
): void {
  const started = performance.now();
  res.once('close', () =>
    logger.debug('request', {
      requestId,
      method: req.method,
      url,
      status: res.statusCode,
      finished: res.writableFinished,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      remoteAddress: req.socket.remoteAddress,
      headers: req.headers,
    }),
  );
}
