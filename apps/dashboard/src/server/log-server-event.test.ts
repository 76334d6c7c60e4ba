import { afterEach, describe, expect, it, vi } from 'vitest';
import { logServerEvent } from './log-server-event';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('logServerEvent', () => {
  it("writes one JSON line in the router's shape, the thrown error's stack included and its secrets removed", () => {
    const written: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => written.push(line));
    const error = new Error(
      'connect to postgres://switchyard:hunter2secret@db/app refused (Bearer sk-sy-abcdefghijkl)',
    );
    logServerEvent('error', 'admin api request failed', { requestId: 'req_1', error });
    expect(written).toHaveLength(1);
    const line = JSON.parse(written[0] as string);
    expect(line).toMatchObject({
      level: 'error',
      service: 'dashboard',
      pid: process.pid,
      requestId: 'req_1',
      msg: 'admin api request failed',
    });
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
    expect(line.error).toContain('postgres://switchyard:[redacted]@db/app refused (Bearer [redacted])');
    expect(line.error).toContain('log-server-event.test.ts');
    expect(written[0]).not.toContain('hunter2secret');
    expect(written[0]).not.toContain('sk-sy-abcdefghijkl');
    expect(Object.keys(line).at(-1)).toBe('msg');
  });
});
