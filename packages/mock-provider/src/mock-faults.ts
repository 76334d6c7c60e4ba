/** One set of injected faults. Every field is optional; absent means "behave normally". */
export interface MockFaultSettings extends AnswerFaultSettings {
  /** Delay in ms before the response headers (every /v1 endpoint). */
  latencyMs?: number;
  /** Streams only: delay in ms between the response headers and the first SSE event. */
  ttftMs?: number;
  /** Streams only: delay in ms between consecutive SSE events (including `[DONE]`). */
  chunkGapMs?: number;
  /**
   * Answer with this status and the error body of the route's protocol (OpenAI, Anthropic, Gemini).
   * 200 means "no override".
   */
  status?: number;
  /** Seconds sent as `Retry-After` with an injected error status (typically 429 or 503). */
  retryAfter?: number;
  /**
   * Streams: destroy the socket after this many `data:` events (0 = right after the headers), no `[DONE]`.
   * Non-streaming requests: destroy the socket without answering.
   */
  dropAfterChunks?: number;
  /**
   * Anthropic Messages and Responses streams: after this many events, the protocol's own in-stream error event
   * (Anthropic `event: error` with an `overloaded_error`, Responses `event: error` with `server_error`) and the
   * end of the stream, as those APIs report a failure once the 200 is sent. Other streams ignore it.
   */
  errorEventAfterChunks?: number;
  /** Accept the request and never answer. */
  hang?: boolean;
  /**
   * Chat only: the model's context window in tokens. A request whose prompt (counted as in the usage the mock
   * reports) exceeds it gets OpenAI's 400 `context_length_exceeded`.
   */
  maxContextTokens?: number;
  /** Probability in 0..1 of answering 500 (drawn from the instance's seeded generator when `seed` is set). */
  failRate?: number;
  /**
   * Chat only: report no token usage — no `usage` in a non-streaming body, no usage chunk in a stream even
   * when `stream_options.include_usage` asks for one — as some upstreams do, so a gateway must estimate.
   */
  omitUsage?: boolean;
  // --- Hostile upstreams (issue 12 B): bodies and streams no well-behaved provider sends. ---
  /** Chat, non-streaming: a 200 `chat.completion` whose body is this many MiB (a padded message), sent at the reader's pace. */
  hugeBodyMb?: number;
  /** Chat, streaming: content chunks forever, never `finish_reason`, usage or `[DONE]`, as fast as they are read. */
  endlessStream?: boolean;
  /** Chat, streaming: `data:` lines forever with single newlines, never the blank line that ends an SSE event. */
  unterminatedSse?: boolean;
  // --- end of hostile upstreams ---
}

/**
 * Instance-level faults: defaults, overrides per requested model and per presented API key, and the
 * fail-rate seed.
 */
export interface MockFaults extends MockFaultSettings {
  /** Overrides applied when the request's `model` matches the key; they win over the defaults above. */
  byModel?: Record<string, MockFaultSettings>;
  /**
   * Overrides applied when the request presents `Authorization: Bearer <key>` with this key, so one upstream
   * account of a mock can fail while another serves the same model. They win over `byModel`.
   */
  byKey?: Record<string, MockFaultSettings>;
  /** Makes `failRate` draws a deterministic sequence (restarted whenever the faults are set). */
  seed?: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

type SettingKey = keyof MockFaultSettings;
type Check = (value: unknown) => string | undefined;

const MAX_DELAY_MS = 2_147_483_647;

const nonNegativeInteger =
  (max: number): Check =>
  (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max
      ? undefined
      : `expected an integer between 0 and ${max}`;

// ── Answers that are not what they claim (issue 12 C, D4, D5): one block, kept together. ──

/**
 * Faults of an upstream that answers, but not with what it should: a body that is not what its status and
 * content type claim, a redirect, an error that echoes the caller's credential, a usage report of any shape.
 */
export interface AnswerFaultSettings {
  /**
   * Chat only: a 200 whose body is an HTML page instead of the answer — non-streaming under
   * `content-type: application/json`, streaming under `text/event-stream` (blank lines included, so it splits
   * into "events" that are not SSE).
   */
  invalidBody?: boolean;
  /** Chat only: the `Content-Type` of a 200 answer (e.g. `text/html` on an otherwise valid stream). */
  contentType?: string;
  /** Answer `302 Found` with `Location: <this URL>` and a small HTML body (every `/v1` endpoint). */
  redirectTo?: string;
  /**
   * Answer an error (the `status` fault, 400 by default) whose message, `param` and `code` echo the presented
   * bearer credential: as sent, URL-encoded and masked the way OpenAI masks keys (`sk-abcd****wxyz`).
   */
  echoCredential?: boolean;
  /**
   * Chat only: the `usage` value reported, any JSON (`{}`, `{"total_tokens":18}`, `{"prompt_tokens":"11"}`,
   * `null`, …), in the non-streaming body and as the stream's usage chunk (when the request asks for usage).
   */
  usage?: unknown;
}

const HEADER_SAFE = /^[\t\x20-\x7e]{1,200}$/;

const isBoolean: Check = (value) => (typeof value === 'boolean' ? undefined : 'expected a boolean');

const ANSWER_FAULT_CHECKS: Record<keyof AnswerFaultSettings, Check> = {
  invalidBody: isBoolean,
  contentType: (value) =>
    typeof value === 'string' && HEADER_SAFE.test(value)
      ? undefined
      : 'expected 1 to 200 printable ASCII characters',
  redirectTo: (value) =>
    typeof value === 'string' && /^https?:\/\//.test(value) && URL.canParse(value) && HEADER_SAFE.test(value)
      ? undefined
      : 'expected an http(s) URL',
  echoCredential: isBoolean,
  // Any JSON value; `undefined` is what a header that is not JSON reads as.
  usage: (value) => (value === undefined ? 'expected JSON' : undefined),
};

// ── end of answer faults ──

/** Validation of every setting, shared by the config object, the admin endpoint and the headers. */
export const SETTING_CHECKS: Record<SettingKey, Check> = {
  latencyMs: nonNegativeInteger(MAX_DELAY_MS),
  ttftMs: nonNegativeInteger(MAX_DELAY_MS),
  chunkGapMs: nonNegativeInteger(MAX_DELAY_MS),
  status: (value) =>
    typeof value === 'number' && Number.isInteger(value) && (value === 200 || (value >= 400 && value <= 599))
      ? undefined
      : 'expected 200 or an integer between 400 and 599',
  retryAfter: nonNegativeInteger(86_400),
  dropAfterChunks: nonNegativeInteger(1_000_000),
  hang: (value) => (typeof value === 'boolean' ? undefined : 'expected a boolean'),
  errorEventAfterChunks: nonNegativeInteger(1_000_000),
  maxContextTokens: nonNegativeInteger(100_000_000),
  failRate: (value) =>
    typeof value === 'number' && value >= 0 && value <= 1 ? undefined : 'expected a number between 0 and 1',
  omitUsage: (value) => (typeof value === 'boolean' ? undefined : 'expected a boolean'),
  ...ANSWER_FAULT_CHECKS,
  // --- Hostile upstreams (issue 12 B) ---
  hugeBodyMb: (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 4096
      ? undefined
      : 'expected an integer between 1 and 4096',
  endlessStream: (value) => (typeof value === 'boolean' ? undefined : 'expected a boolean'),
  unterminatedSse: (value) => (typeof value === 'boolean' ? undefined : 'expected a boolean'),
  // --- end of hostile upstreams ---
};

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSettings(value: unknown, path: string, extraKeys: ReadonlySet<string>): string | undefined {
  if (!isObject(value)) return `${path ? path.slice(0, -1) : 'faults'}: expected an object`;
  for (const [key, field] of Object.entries(value)) {
    if (extraKeys.has(key) || field === undefined) continue;
    const check = SETTING_CHECKS[key as SettingKey] as Check | undefined;
    if (check === undefined)
      return `${path}${key}: unknown fault (known: ${Object.keys(SETTING_CHECKS).join(', ')})`;
    const problem = check(field);
    if (problem !== undefined) return `${path}${key}: ${problem}`;
  }
  return undefined;
}

const INSTANCE_KEYS: ReadonlySet<string> = new Set(['byModel', 'byKey', 'seed']);
const NO_KEYS: ReadonlySet<string> = new Set();

/** Validates a `MockFaults` object (config, `setFaults`, `POST /__mock/faults`) and names the first bad field. */
export function parseMockFaults(value: unknown): ParseResult<MockFaults> {
  const problem = parseSettings(value, '', INSTANCE_KEYS);
  if (problem !== undefined) return { ok: false, message: problem };
  const faults = value as MockFaults;
  if (faults.seed !== undefined && !(typeof faults.seed === 'number' && Number.isInteger(faults.seed))) {
    return { ok: false, message: 'seed: expected an integer' };
  }
  if (faults.byModel !== undefined) {
    if (!isObject(faults.byModel))
      return { ok: false, message: 'byModel: expected an object keyed by model' };
    for (const [model, settings] of Object.entries(faults.byModel)) {
      const nested = parseSettings(settings, `byModel.${model}.`, NO_KEYS);
      if (nested !== undefined) return { ok: false, message: nested };
    }
  }
  if (faults.byKey !== undefined) {
    if (!isObject(faults.byKey)) return { ok: false, message: 'byKey: expected an object keyed by API key' };
    for (const [key, settings] of Object.entries(faults.byKey)) {
      // A request without a key gets no byKey layer, so an empty key could never match.
      if (key === '') return { ok: false, message: 'byKey: an API key must not be empty' };
      const nested = parseSettings(settings, `byKey.${key}.`, NO_KEYS);
      if (nested !== undefined) return { ok: false, message: nested };
    }
  }
  return { ok: true, value: structuredClone(faults) };
}

/** Copies the defined fields of `from` over `into`. */
function overlay(into: MockFaultSettings, from: MockFaultSettings): void {
  for (const key of Object.keys(from) as SettingKey[]) {
    const value = from[key];
    if (value !== undefined) (into as Record<SettingKey, unknown>)[key] = value;
  }
}

const NO_FAULTS: MockFaultSettings = Object.freeze({});

/** The instance-level defaults (everything but `byModel`, `byKey` and `seed`), or `undefined` when they set nothing. */
export function defaultFaultsOf(faults: MockFaults): MockFaultSettings | undefined {
  let defaults: MockFaultSettings | undefined;
  for (const key of Object.keys(SETTING_CHECKS) as SettingKey[]) {
    const value = faults[key];
    if (value === undefined) continue;
    defaults ??= {};
    (defaults as Record<SettingKey, unknown>)[key] = value;
  }
  return defaults;
}

/**
 * The faults in force for one request: the instance defaults, then the instance's `byModel[model]`, then
 * its `byKey[api key]`, then the request's headers, each later layer winning field by field. Returns a
 * shared frozen empty object on the common path where nothing is configured, so a healthy request
 * allocates nothing here.
 */
export function resolveFaults(
  defaults: MockFaultSettings | undefined,
  forModel: MockFaultSettings | undefined,
  forKey: MockFaultSettings | undefined,
  fromHeaders: MockFaultSettings | undefined,
): MockFaultSettings {
  if (forModel === undefined && forKey === undefined && fromHeaders === undefined)
    return defaults ?? NO_FAULTS;
  const resolved: MockFaultSettings = {};
  if (defaults !== undefined) overlay(resolved, defaults);
  if (forModel !== undefined) overlay(resolved, forModel);
  if (forKey !== undefined) overlay(resolved, forKey);
  if (fromHeaders !== undefined) overlay(resolved, fromHeaders);
  return resolved;
}
