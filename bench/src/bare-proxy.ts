// The bench's floor: the least a Node proxy on the router's stack can do. node:http in, undici's dispatcher
// out, the answer's status and content type sent on as soon as they arrive and each chunk as it comes (so a stream's
// first event is relayed at once: the stream TTFB floor) — no auth, routing, limits or usage. Run on the router's core, it
// shows what one more loopback hop through a Node process costs on this machine, today: whatever the router
// adds beyond it is the router's own work. Usage: UPSTREAM=http://host:port PORT=0 node --import tsx bare-proxy.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

const upstream = new URL(process.env.UPSTREAM ?? '');
const agent = new Agent({ connections: 256, keepAliveTimeout: 30_000 });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    agent.dispatch(
      {
        origin: upstream.origin,
        path: req.url ?? '/',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: req.headers.authorization ?? '',
        },
        body: Buffer.concat(chunks),
      },
      {
        onConnect() {},
        onHeaders(statusCode: number, rawHeaders: Buffer[]) {
          const headers: Record<string, string> = {};
          for (let i = 0; i < rawHeaders.length; i += 2) {
            const name = String(rawHeaders[i]).toLowerCase();
            if (name === 'content-type' || name === 'content-length')
              headers[name] = String(rawHeaders[i + 1]);
          }
          // Sent with the first chunk (one write), as the router does.
          res.writeHead(statusCode, headers);
          return true;
        },
        onData(chunk: Buffer) {
          res.write(chunk);
          return true;
        },
        onComplete() {
          res.end();
        },
        onError(error: Error) {
          if (res.headersSent) res.destroy(error);
          else res.writeHead(502, { 'content-type': 'text/plain' }).end(error.message);
        },
      },
    );
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`bare proxy listening on http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
