import { connect, type Socket } from 'node:net';
import { generateApiKey, newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleHealthz } from './router-vitals';
import { type Stack, startStack, waitFor } from './stack';

/**
 * Hostile clients (issue 12 B): a body that never comes, headers that never end, a flood of idle sockets,
 * and a limited key flooding bodies. Each is cut off or refused by the router's own limits, and /healthz
 * stays fast while they run.
 */
let stack: Stack;

const BODY_IDLE_MS = 1_000;
const HEADERS_MS = 2_000;
const MAX_CONNECTIONS = 100;

beforeAll(async () => {
  stack = await startStack({
    ROUTER_BODY_IDLE_TIMEOUT_MS: String(BODY_IDLE_MS),
    ROUTER_HEADERS_TIMEOUT_MS: String(HEADERS_MS),
    ROUTER_REQUEST_TIMEOUT_MS: '10000',
    ROUTER_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

interface RawExchange {
  socket: Socket;
  /** What the router has sent so far. */
  text: () => string;
  /** Everything the router sent, once it closed the connection. */
  closed: Promise<{ text: string; at: number }>;
}

/** Opens a raw TCP connection to the router and writes `head` (and nothing more unless told). */
async function raw(head: string): Promise<RawExchange> {
  const { hostname, port } = new URL(stack.routerUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const closed = new Promise<{ text: string; at: number }>((resolve) =>
    socket.once('close', () => resolve({ text, at: performance.now() })),
  );
  if (head.length > 0) socket.write(head);
  return { socket, text: () => text, closed };
}

const chatHead = (key: string, contentLength = 1_000) =>
  `POST /v1/chat/completions HTTP/1.1\r\nhost: router\r\nauthorization: Bearer ${key}\r\n` +
  `content-type: application/json\r\ncontent-length: ${contentLength}\r\n\r\n`;

describe('hostile clients', () => {
  it('clients that never send their body are answered 408 and cut off after the body-idle timeout', async () => {
    const healthz = await sampleHealthz(stack.routerUrl);
    const started = performance.now();
    const clients = await Promise.all(Array.from({ length: 20 }, () => raw(chatHead(stack.apiKey))));
    const ends = await Promise.all(clients.map((c) => c.closed));
    const { router: samples, control, limit } = await healthz.stop();
    console.log('no body: healthz', JSON.stringify(samples), 'control', JSON.stringify(control));
    for (const end of ends) {
      expect(end.text).toMatch(/^HTTP\/1\.1 408 /);
      expect(end.text).toContain('"code":"request_timeout"');
      // Cut off after the body-idle timeout, not held (it was over 90 s before).
      expect(end.at - started).toBeGreaterThanOrEqual(BODY_IDLE_MS - 20);
      expect(end.at - started).toBeLessThan(BODY_IDLE_MS + 1_500);
    }
    expect(samples.failures).toBe(0);
    expect(samples.p99).toBeLessThan(limit);
  }, 30_000);

  it('a client that never finishes its headers is cut off after the headers timeout', async () => {
    const started = performance.now();
    const client = await raw('POST /v1/chat/completions HTTP/1.1\r\nhost: router\r\n');
    const end = await client.closed;
    expect(end.text).toMatch(/^HTTP\/1\.1 408 /);
    // node:http checks its timeouts once a second here.
    expect(end.at - started).toBeGreaterThanOrEqual(HEADERS_MS - 20);
    expect(end.at - started).toBeLessThan(HEADERS_MS + 2_000);
  }, 30_000);

  it('past ROUTER_MAX_CONNECTIONS idle sockets, the next connections get 503 and are closed; established ones keep working', async () => {
    // Opened before the flood: an established keep-alive connection (a load balancer's) keeps being served.
    const healthz = await sampleHealthz(stack.routerUrl);
    const idle = await Promise.all(Array.from({ length: MAX_CONNECTIONS + 50 }, () => raw('')));
    // Each refusal is immediate; the sockets under the cap stay open until the headers timeout.
    const refusals = await waitFor('the sockets over the cap to be refused', async () => {
      const settled = await Promise.all(
        idle.map((c) => Promise.race([c.closed, new Promise<null>((r) => setImmediate(() => r(null)))])),
      );
      const done = settled.filter((s) => s !== null);
      return done.length >= idle.length - MAX_CONNECTIONS + 1 ? done : null;
    });
    // The idle ones are dropped by the headers timeout; /healthz is sampled all the while.
    await Promise.all(idle.map((c) => c.closed));
    const { router: samples, control, limit } = await healthz.stop();
    console.log(
      'idle flood: control',
      JSON.stringify(control),
      'refused',
      refusals.length,
      'healthz',
      JSON.stringify(samples),
      'limit',
      limit,
    );
    // At most MAX_CONNECTIONS are open at once: the probe holds one, so at least 51 of the 150 were refused
    // (one or two more if a connection of an earlier probe was still closing).
    expect(refusals.length).toBeGreaterThanOrEqual(idle.length - MAX_CONNECTIONS + 1);
    expect(refusals.length).toBeLessThanOrEqual(idle.length - MAX_CONNECTIONS + 3);
    for (const refusal of refusals) {
      expect(refusal.text).toMatch(/^HTTP\/1\.1 503 /);
      expect(refusal.text).toContain('retry-after: 1');
      expect(refusal.text).toContain('"code":"service_unavailable"');
    }
    expect(samples.failures).toBe(0);
    expect(samples.p99).toBeLessThan(limit);
    // With them gone the router accepts new connections again.
    const res = await fetch(`${stack.routerUrl}/healthz`);
    expect(res.status).toBe(200);
  }, 30_000);

  it('a rate-limited key is refused before its body is read; a bad key too', async () => {
    const key = generateApiKey();
    const id = newId('key');
    await stack.prisma.apiKey.create({
      data: { id, name: `rpm1 ${id}`, digest: key.digest, prefix: key.prefix, rpmLimit: 1 },
    });
    await waitFor('the router to know the limited key', async () => {
      const res = await fetch(`${stack.routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${key.plaintext}` },
      });
      return res.status === 200;
    });
    const first = await stack.client(key.plaintext).chat.completions.create({
      model: 'chat-small',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(first.choices.length).toBe(1);
    // The headers announce a body that never comes: the answer can only be immediate if the limit was
    // checked before reading it (otherwise it would be the 408 after the body-idle timeout).
    for (const presented of [key.plaintext, 'sk-not-a-key']) {
      const client = await raw(chatHead(presented, 1_000_000));
      await waitFor('the refusal', () => client.text().includes('\r\n\r\n'), {
        timeoutMs: BODY_IDLE_MS - 200,
      });
      const text = client.text();
      expect(text).toMatch(presented === key.plaintext ? /^HTTP\/1\.1 429 / : /^HTTP\/1\.1 401 /);
      client.socket.destroy();
    }
  }, 30_000);
});
