import type { IncomingHttpHeaders } from 'node:http';
import { type MockFaultSettings, type ParseResult, SETTING_CHECKS } from './mock-faults';

/** The request headers that inject a fault into that one request, and the setting each one maps to. */
export const MOCK_FAULT_HEADERS = {
  'x-mock-latency-ms': 'latencyMs',
  'x-mock-ttft-ms': 'ttftMs',
  'x-mock-chunk-gap-ms': 'chunkGapMs',
  'x-mock-status': 'status',
  'x-mock-retry-after': 'retryAfter',
  'x-mock-drop-after-chunks': 'dropAfterChunks',
  'x-mock-error-event-after-chunks': 'errorEventAfterChunks',
  'x-mock-hang': 'hang',
  'x-mock-max-context-tokens': 'maxContextTokens',
  'x-mock-fail-rate': 'failRate',
  'x-mock-omit-usage': 'omitUsage',
  'x-mock-invalid-body': 'invalidBody',
  'x-mock-content-type': 'contentType',
  'x-mock-redirect-to': 'redirectTo',
  'x-mock-echo-credential': 'echoCredential',
  'x-mock-usage': 'usage',
  'x-mock-huge-body-mb': 'hugeBodyMb',
  'x-mock-endless-stream': 'endlessStream',
  'x-mock-unterminated-sse': 'unterminatedSse',
} as const satisfies Record<string, keyof MockFaultSettings>;

const ENTRIES = Object.entries(MOCK_FAULT_HEADERS) as [
  keyof typeof MOCK_FAULT_HEADERS,
  keyof MockFaultSettings,
][];

const NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)\s*$/;

const BOOLEAN_KEYS: ReadonlySet<keyof MockFaultSettings> = new Set([
  'hang',
  'omitUsage',
  'invalidBody',
  'echoCredential',
  'endlessStream',
  'unterminatedSse',
]);

function headerValue(key: keyof MockFaultSettings, raw: string): unknown {
  if (key === 'contentType' || key === 'redirectTo') return raw;
  if (key === 'usage') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return undefined; // refused by the check as "expected JSON"
    }
  }
  if (BOOLEAN_KEYS.has(key)) {
    const flag = raw.trim().toLowerCase();
    if (flag === '1' || flag === 'true') return true;
    if (flag === '0' || flag === 'false') return false;
    return raw;
  }
  return NUMBER.test(raw) ? Number(raw) : raw;
}

/**
 * Reads the `x-mock-*` headers. `undefined` when none is present (the common case, no allocation);
 * an error naming the header when one is malformed, so a typo in a test fails loudly.
 */
export function readFaultHeaders(headers: IncomingHttpHeaders): ParseResult<MockFaultSettings | undefined> {
  let settings: MockFaultSettings | undefined;
  for (const [header, key] of ENTRIES) {
    const raw = headers[header];
    if (raw === undefined) continue;
    const text = Array.isArray(raw) ? (raw[0] ?? '') : raw;
    const value = headerValue(key, text);
    const problem = SETTING_CHECKS[key](value);
    if (problem !== undefined)
      return { ok: false, message: `Invalid ${header} header '${text}': ${problem}.` };
    settings ??= {};
    (settings as Record<string, unknown>)[key] = value;
  }
  return { ok: true, value: settings };
}
