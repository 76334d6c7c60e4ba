import { type MockFaults, parseMockFaults } from './mock-faults';

/** The CLI's configuration. */
export interface MockEnv {
  port: number;
  host: string;
  faults: MockFaults;
}

export type MockEnvResult = { ok: true; value: MockEnv } | { ok: false; message: string };

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/**
 * Validates `MOCK_PORT` (default 4010, 0..65535), `MOCK_HOST` (default 127.0.0.1, an IP or a hostname) and
 * the optional `MOCK_FAULTS` (a JSON `MockFaults` object). The only reader of `process.env`'s values.
 */
export function parseMockEnv(env: Record<string, string | undefined>): MockEnvResult {
  const rawPort = env.MOCK_PORT?.trim() || '4010';
  if (!/^\d{1,5}$/.test(rawPort) || Number(rawPort) > 65_535) {
    return {
      ok: false,
      message: `MOCK_PORT must be an integer between 0 and 65535, got '${env.MOCK_PORT}'.`,
    };
  }
  const host = env.MOCK_HOST?.trim() || '127.0.0.1';
  if (!HOSTNAME.test(host) && !(host.includes(':') && IPV6.test(host))) {
    return { ok: false, message: `MOCK_HOST must be an IP address or a hostname, got '${env.MOCK_HOST}'.` };
  }
  let faults: MockFaults = {};
  if (env.MOCK_FAULTS?.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(env.MOCK_FAULTS);
    } catch {
      return { ok: false, message: 'MOCK_FAULTS must be a JSON object, e.g. {"latencyMs":50}.' };
    }
    const parsed = parseMockFaults(json);
    if (!parsed.ok) return { ok: false, message: `MOCK_FAULTS is invalid: ${parsed.message}.` };
    faults = parsed.value;
  }
  return { ok: true, value: { port: Number(rawPort), host, faults } };
}
