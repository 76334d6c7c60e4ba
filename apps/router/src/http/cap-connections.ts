import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logger';

const REFUSAL_BODY = JSON.stringify({
  error: {
    message: 'The gateway has too many open connections; retry shortly.',
    type: 'server_error',
    param: null,
    code: 'service_unavailable',
  },
});
/** A complete HTTP/1.1 answer written straight to a socket the HTTP parser never sees. */
const REFUSAL = Buffer.from(
  'HTTP/1.1 503 Service Unavailable\r\n' +
    'content-type: application/json\r\n' +
    'retry-after: 1\r\n' +
    'connection: close\r\n' +
    `content-length: ${Buffer.byteLength(REFUSAL_BODY)}\r\n\r\n${REFUSAL_BODY}`,
);
/** How long a refused socket may linger (unread bytes drained) before it is destroyed. */
const REFUSED_LINGER_MS = 1_000;
/** At most one log line per this interval while connections are being refused. */
const LOG_EVERY_MS = 10_000;

/**
 * Caps the server's open connections at `max`. The next one is answered at once with a 503 (Retry-After: 1)
 * and closed, before any of its bytes are parsed, rather than silently dropped as `server.maxConnections`
 * would, so a client sees why. Done by taking over the server's own `connection` listener (node:http's
 * parser set-up) and calling it only for connections under the cap.
 */
export function capConnections(server: Server, max: number, logger: Logger): void {
  const httpListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  let open = 0;
  let refused = 0;
  let lastLogAt = 0;
  const onClose = () => {
    open--;
  };
  server.on('connection', (socket: Socket) => {
    if (open >= max) {
      refused++;
      refuse(socket);
      const now = Date.now();
      if (now - lastLogAt >= LOG_EVERY_MS) {
        lastLogAt = now;
        logger.warn('refusing connections: ROUTER_MAX_CONNECTIONS reached', { max, refused });
      }
      return;
    }
    open++;
    socket.once('close', onClose);
    for (const listener of httpListeners) listener.call(server, socket);
  });
}

function refuse(socket: Socket): void {
  socket.on('error', () => {});
  // Read and discard whatever the client sends, so closing does not reset the connection before the
  // client has read the 503; destroy it after a short linger in any case.
  socket.resume();
  socket.setTimeout(REFUSED_LINGER_MS, () => socket.destroy());
  socket.end(REFUSAL);
}
