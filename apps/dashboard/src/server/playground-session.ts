import { decode, encode } from 'next-auth/jwt';
import { type Actor, requireWriter } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { createKey, createKeyInput, revokeKey, updateKey } from './keys';

/**
 * The playground never sees a plaintext key: the console stores only digests, and asking an operator to paste a
 * production key into a browser puts the one secret worth stealing on a page. Instead each run mints a key of its
 * own (tagged `playground`, copying the policy of a key the operator picks), usable for PLAYGROUND_KEY_TTL_SECONDS
 * at most, and revokes it when the run ends. Its plaintext goes to the browser only sealed (encrypted and
 * authenticated with a key derived from NEXTAUTH_SECRET, bound to the user and the expiry), so the page can hand it
 * back for each smoke test without ever being able to read or reuse it elsewhere.
 */
export const PLAYGROUND_KEY_TTL_SECONDS = 10 * 60;
export const PLAYGROUND_TAG = 'playground';
const SEAL_SALT = 'switchyard-playground-key';

/** What a playground run knows of its key; `sealed` is all the browser holds. */
export interface PlaygroundSession {
  keyId: string;
  keyPrefix: string;
  expiresAt: string;
  sealed: string;
}

function ownerOf(actor: Actor): string {
  return actor.kind === 'user' ? actor.userId : 'admin_token';
}

/** Polls GET /v1/models with the key until the router's snapshot knows it (LISTEN/NOTIFY takes a moment). */
async function awaitRouterKnowsKey(routerUrl: string, plaintext: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${plaintext}` },
        signal: AbortSignal.timeout(2_000),
      });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new AdminError(
    'internal',
    `The router at ${routerUrl} did not accept the playground key within ${timeoutMs / 1000} s (${last}). Check ROUTER_PUBLIC_URL and that a router is running.`,
  );
}

/**
 * Mints the run's key, copying the models, traffic classes and team of `templateKeyId` (when given), and waits until
 * the router accepts it. Writers only: minting a key is a write, and it is audited like any other.
 */
export async function startPlaygroundSession(
  ctx: AdminContext,
  actor: Actor,
  options: { templateKeyId: string | null; routerUrl: string; secret: string; readyTimeoutMs?: number },
): Promise<PlaygroundSession> {
  requireWriter(actor);
  const template = options.templateKeyId ? await ctx.repos.apiKeys.findById(options.templateKeyId) : null;
  if (options.templateKeyId && !template) {
    throw new AdminError(
      'invalid_request',
      `templateKeyId: no API key with id ${options.templateKeyId}`,
      'templateKeyId',
    );
  }
  const expiresAt = new Date(ctx.now().getTime() + PLAYGROUND_KEY_TTL_SECONDS * 1000);
  const who = actor.kind === 'user' ? actor.email : 'admin token';
  const { key, plaintext } = await createKey(
    ctx,
    actor,
    createKeyInput.parse({
      name: `playground · ${who}`.slice(0, 100),
      environment: template?.environment ?? 'development',
      allowedModels: template?.allowedModels ?? [],
      tags: [PLAYGROUND_TAG],
      expiresAt: expiresAt.toISOString(),
      defaultTrafficClass: template?.defaultTrafficClass,
      allowedTrafficClasses: template?.allowedTrafficClasses ?? [],
    }),
  );
  if (template?.teamId) await updateKey(ctx, actor, key.id, { teamId: template.teamId });
  try {
    await awaitRouterKnowsKey(options.routerUrl, plaintext, options.readyTimeoutMs ?? 10_000);
  } catch (error) {
    await revokeKey(ctx, actor, key.id);
    throw error;
  }
  const sealed = await encode({
    token: { keyId: key.id, plaintext, owner: ownerOf(actor) },
    secret: options.secret,
    salt: SEAL_SALT,
    maxAge: PLAYGROUND_KEY_TTL_SECONDS,
  });
  return { keyId: key.id, keyPrefix: key.prefix, expiresAt: expiresAt.toISOString(), sealed };
}

/** The key behind a sealed session, for the actor that started it; refused when forged, expired or someone else's. */
export async function openPlaygroundSession(
  actor: Actor,
  sealed: string,
  secret: string,
): Promise<{ keyId: string; plaintext: string }> {
  let token: Awaited<ReturnType<typeof decode>> = null;
  try {
    token = await decode({ token: sealed, secret, salt: SEAL_SALT });
  } catch {
    token = null;
  }
  const keyId = token?.keyId;
  const plaintext = token?.plaintext;
  if (typeof keyId !== 'string' || typeof plaintext !== 'string' || token?.owner !== ownerOf(actor)) {
    throw new AdminError(
      'invalid_request',
      'session: the playground session is invalid or has expired; start a new run',
      'session',
    );
  }
  return { keyId, plaintext };
}

/** Revokes the run's key. Revoking twice is harmless (the key stays revoked). */
export async function endPlaygroundSession(
  ctx: AdminContext,
  actor: Actor,
  sealed: string,
  secret: string,
): Promise<{ keyId: string }> {
  const { keyId } = await openPlaygroundSession(actor, sealed, secret);
  await revokeKey(ctx, actor, keyId);
  return { keyId };
}
