import type { IncomingHttpHeaders } from 'node:http';

/** The last request a mock answered (or started to), for tests that check what a gateway forwarded. */
export interface MockRequestRecord {
  method: string;
  /** The path and query, e.g. `/v1/chat/completions`; a `key` query parameter is redacted like a credential header. */
  path: string;
  /** Lower-cased request headers; credentials redacted, see `redactHeaders`. */
  headers: Record<string, string | string[]>;
  /** The parsed JSON body, the raw text when it was not JSON, or null when empty. */
  body: unknown;
}

/** What a mock has observed since it started or was last reset. Counts `/v1/*` requests only. */
export interface MockStats {
  requests: number;
  /** Requests per `model` named in the body. */
  byModel: Record<string, number>;
  /**
   * Requests per API key presented as `Authorization: Bearer <key>` (requests without one are not counted
   * here), so a test can tell which upstream account a gateway used. Keys appear in full: test keys only.
   */
  byKey: Record<string, number>;
  /** Requests whose client closed the connection before the response ended (not the mock's own drops). */
  aborted: number;
  lastRequest: MockRequestRecord | null;
}

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
]);
/** Characters of a credential kept by `redactHeaders`. */
export const KEPT_CREDENTIAL_CHARS = 8;

function redact(value: string): string {
  const space = value.indexOf(' ');
  // Keep the scheme ("Bearer ") so the kept characters are of the credential itself.
  const scheme = space > 0 && space < 16 ? value.slice(0, space + 1) : '';
  return `${scheme}${value.slice(scheme.length, scheme.length + KEPT_CREDENTIAL_CHARS)}…`;
}

/**
 * A copy of the headers with every credential (authorization, x-api-key, api-key, x-goog-api-key) cut to
 * its first 8 characters plus "…": `Bearer sk-test-secret` becomes `Bearer sk-test-…`.
 */
export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const copy: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (!CREDENTIAL_HEADERS.has(name)) copy[name] = value;
    else copy[name] = Array.isArray(value) ? value.map(redact) : redact(value);
  }
  return copy;
}

const KEY_PARAM = /([?&]key=)([^&]*)/gi;

/** The path with the value of a `key` query parameter (Gemini's `?key=`) cut like a credential header. */
export function redactPath(path: string): string {
  if (!path.includes('key=')) return path;
  return path.replace(
    KEY_PARAM,
    (_, name: string, value: string) => `${name}${value.slice(0, KEPT_CREDENTIAL_CHARS)}…`,
  );
}

/** Counters of one mock instance. Recording keeps references only; copies are made when read. */
export class MockStatsRecorder {
  private requests = 0;
  private aborted = 0;
  private byModel = new Map<string, number>();
  private byKey = new Map<string, number>();
  private last: { method: string; path: string; headers: IncomingHttpHeaders; body: unknown } | null = null;

  record(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: unknown,
    model: string | undefined,
    apiKey: string | undefined,
  ): void {
    this.requests++;
    if (model !== undefined) this.byModel.set(model, (this.byModel.get(model) ?? 0) + 1);
    if (apiKey !== undefined) this.byKey.set(apiKey, (this.byKey.get(apiKey) ?? 0) + 1);
    if (this.last === null) this.last = { method, path, headers, body };
    else {
      this.last.method = method;
      this.last.path = path;
      this.last.headers = headers;
      this.last.body = body;
    }
  }

  recordAborted(): void {
    this.aborted++;
  }

  snapshot(): MockStats {
    const last = this.last;
    return {
      requests: this.requests,
      byModel: Object.fromEntries(this.byModel),
      byKey: Object.fromEntries(this.byKey),
      aborted: this.aborted,
      lastRequest:
        last === null
          ? null
          : {
              method: last.method,
              path: redactPath(last.path),
              headers: redactHeaders(last.headers),
              body: structuredClone(last.body),
            },
    };
  }

  reset(): void {
    this.requests = 0;
    this.aborted = 0;
    this.byModel.clear();
    this.byKey.clear();
    this.last = null;
  }
}
