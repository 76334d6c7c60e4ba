// The bench's floor: the least a Node proxy on the router's stack can do. node:http in, undici's dispatcher
// out, the answer buffered and sent back — no auth, routing, limits or usage. Run on the router's core, it
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
    const answer: Buffer[] = [];
    let status = 502;
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
        onHeaders(statusCode: number) {
          status = statusCode;
          return true;
        },
        onData(chunk: Buffer) {
          answer.push(chunk);
          return true;
        },
        onComplete() {
          const body = Buffer.concat(answer);
          res.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
          res.end(body);
        },
        onError(error: Error) {
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end(error.message);
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
