import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SAMPLES, sampleHealthz } from './router-vitals';

let server: Server;
let url: string;
let calls = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    calls++;
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('sampleHealthz', () => {
  it('stopped at once, still takes its minimum sample of each target (quick hostile work cannot fail the count)', async () => {
    const before = calls;
    const healthz = await sampleHealthz(url);
    const reading = await healthz.stop();
    expect(reading.router.count).toBeGreaterThanOrEqual(MIN_SAMPLES);
    expect(reading.control.count).toBeGreaterThanOrEqual(MIN_SAMPLES);
    expect(reading.router.failures).toBe(0);
    // The warm-up call plus every timed one reached the server.
    expect(calls - before).toBe(reading.router.count + 1);
  });
});
