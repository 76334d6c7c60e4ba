import { type Actor, requireWriter } from '../actor';
import type { AdminContext } from '../admin-context';
import { AdminError } from '../admin-error';
import { MODEL_LIST_PROBES } from './model-list-probes';

/** What "Test connection" shows: the upstream's answer to listing models with the account's credential. */
export interface ConnectionTestResult {
  /** True when the upstream answered 2xx. */
  ok: boolean;
  /** The upstream's HTTP status; null when it did not answer (refused, unreachable, timed out). */
  status: number | null;
  /** From sending the request to reading the whole answer, in milliseconds. */
  latencyMs: number;
  /** The URL called (it never carries the credential: that goes in a header). */
  url: string;
  /** The model ids the account sees, sorted, at most {@link MAX_MODELS}. */
  models: string[];
  /** How many model ids the upstream listed in all. */
  modelCount: number;
  /** Why it failed, in plain words; null when it worked. */
  error: string | null;
}

export const TEST_TIMEOUT_MS = 10_000;
export const MAX_MODELS = 500;
const MAX_BODY_BYTES = 2_000_000;
const MAX_ERROR_CHARS = 300;

/** Reads at most MAX_BODY_BYTES of the answer: an upstream cannot make the dashboard hold an unbounded body. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The upstream's own error message, when its body has one (every provider's error shape has `error.message`). */
function upstreamMessage(text: string): string | null {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to the status line
  }
  return null;
}

function plainStatusError(status: number, message: string | null): string {
  const said = message === null ? '' : ` It said: ${message}`;
  if (status === 401 || status === 403)
    return `The upstream refused the credential (HTTP ${status}). Check the key and that it may list models.${said}`;
  if (status === 404)
    return `The upstream has no models list at this address (HTTP 404). Check the provider's base URL and kind.${said}`;
  if (status === 429)
    return `The upstream is rate limiting this account (HTTP 429); try again shortly.${said}`;
  if (status >= 300 && status < 400)
    return `The upstream answered with a redirect (HTTP ${status}); the credential is not sent on to another address. Use the final URL as base URL.`;
  return `The upstream answered HTTP ${status}.${said}`;
}

/** Never shows the credential, even if an upstream echoes it back. */
function redact(text: string, credential: string): string {
  const bounded = text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS)}…` : text;
  return credential.length > 0 ? bounded.split(credential).join('[credential]') : bounded;
}

/**
 * Lists models at the account's provider with its stored credential, as the routers' health checks do, and
 * reports status, latency and the model ids. Writers only: it sends a credential out. The URL is held to the
 * egress policy first; redirects are not followed, so the credential never goes to another address.
 */
export async function testAccountConnection(
  ctx: AdminContext,
  actor: Actor,
  accountId: string,
): Promise<ConnectionTestResult> {
  requireWriter(actor);
  const account = await ctx.repos.upstreamAccounts.findById(accountId);
  if (!account) throw new AdminError('not_found', `No upstream account with id ${accountId}.`);
  const provider = await ctx.repos.providers.findById(account.providerId);
  if (!provider) throw new AdminError('not_found', `No provider with id ${account.providerId}.`);
  const ciphertext = (await ctx.repos.upstreamAccounts.credentialCiphertexts([accountId])).get(accountId);
  const credential = ciphertext === undefined ? null : ctx.decryptCredential(ciphertext);
  const probe = MODEL_LIST_PROBES[provider.kind](provider.baseUrl, credential ?? '');
  const failed = (error: string, status: number | null = null, latencyMs = 0): ConnectionTestResult => ({
    ok: false,
    status,
    latencyMs,
    url: probe.url,
    models: [],
    modelCount: 0,
    error,
  });
  if (credential === null) {
    return failed(
      'The stored credential cannot be read with this dashboard’s SWITCHYARD_MASTER_KEY; enter the credential again.',
    );
  }
  const refusal = await ctx.egress.refusal(probe.url);
  if (refusal !== null) return failed(`The provider's base URL ${refusal}.`);

  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let res: Response;
  let text: string;
  try {
    res = await fetch(probe.url, {
      headers: { accept: 'application/json', ...probe.headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(TEST_TIMEOUT_MS),
    });
    text = await readCapped(res);
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    const cause =
      error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    return failed(
      timedOut
        ? `The upstream did not answer within ${TEST_TIMEOUT_MS / 1000} s.`
        : redact(`The upstream could not be reached: ${cause}`, credential),
      null,
      elapsed(),
    );
  }
  const latencyMs = elapsed();
  if (res.status < 200 || res.status >= 300) {
    return failed(
      redact(plainStatusError(res.status, upstreamMessage(text)), credential),
      res.status,
      latencyMs,
    );
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return failed(
      'The upstream answered, but not with JSON: is the base URL an API endpoint?',
      res.status,
      latencyMs,
    );
  }
  const ids = [...new Set(probe.readModelIds(body))].sort();
  return {
    ok: true,
    status: res.status,
    latencyMs,
    url: probe.url,
    models: ids.slice(0, MAX_MODELS),
    modelCount: ids.length,
    error: null,
  };
}
