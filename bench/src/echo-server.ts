// A TCP echo server for the bench's round-trip probe (run-round-trips.ts): every byte comes straight back.
// Usage: PORT=0 node --import tsx echo-server.ts

import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('data', (chunk) => socket.write(chunk));
  socket.on('error', () => socket.destroy());
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`echo server listening on 127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
