import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';

/** How a {@link startTestUpstream} answers one path: with the request's body once it is all in. */
export type TestRoute = (res: ServerResponse, body: string) => void;

/** A real HTTP upstream on loopback for the proxy's unit tests. */
export interface TestUpstream {
  origin: string;
  /** The dispatcher to call it with (its own pool, closed with it). */
  agent: Agent;
  close: () => Promise<void>;
}

/** Starts an upstream that answers each request by its path (nothing for an unknown one: it hangs). */
export async function startTestUpstream(routes: Record<string, TestRoute>): Promise<TestUpstream> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => routes[req.url ?? '']?.(res, body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const agent = new Agent();
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    agent,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await agent.close();
    },
  };
}
