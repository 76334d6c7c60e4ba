import { describe, expect, it } from 'vitest';
import { parseMockEnv } from './env';

describe('parseMockEnv', () => {
  it('defaults to 127.0.0.1:4010 without faults', () => {
    expect(parseMockEnv({})).toEqual({ ok: true, value: { port: 4010, host: '127.0.0.1', faults: {} } });
  });

  it('reads port, host and faults', () => {
    expect(parseMockEnv({ MOCK_PORT: '0', MOCK_HOST: '0.0.0.0', MOCK_FAULTS: '{"latencyMs":5}' })).toEqual({
      ok: true,
      value: { port: 0, host: '0.0.0.0', faults: { latencyMs: 5 } },
    });
    expect(parseMockEnv({ MOCK_HOST: '::1' })).toMatchObject({ ok: true, value: { host: '::1' } });
    expect(parseMockEnv({ MOCK_HOST: 'mock.internal' })).toMatchObject({
      ok: true,
      value: { host: 'mock.internal' },
    });
  });

  it('rejects bad values with a message naming the variable', () => {
    expect(parseMockEnv({ MOCK_PORT: '70000' })).toEqual({
      ok: false,
      message: "MOCK_PORT must be an integer between 0 and 65535, got '70000'.",
    });
    expect(parseMockEnv({ MOCK_PORT: '80a' })).toMatchObject({ ok: false });
    expect(parseMockEnv({ MOCK_HOST: 'not a host' })).toEqual({
      ok: false,
      message: "MOCK_HOST must be an IP address or a hostname, got 'not a host'.",
    });
    expect(parseMockEnv({ MOCK_FAULTS: '{"status":700}' })).toEqual({
      ok: false,
      message: 'MOCK_FAULTS is invalid: status: expected 200 or an integer between 400 and 599.',
    });
    expect(parseMockEnv({ MOCK_FAULTS: 'nope' })).toMatchObject({ ok: false });
  });
});
