import { TRAFFIC_CLASSES, type TrafficClass } from '@switchyard/core';
import { type AdminApiKey, generateApiKey } from '@switchyard/db/admin';
import { z } from 'zod';
import { type Actor, auditActor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { iso, isoOrNull } from './iso-time';
import { pageQueryFields, parseCursor } from './pagination';
import { authorize, keyTeamScope, requireKeyInScope } from './permissions';
import { modelName, nonEmptyChanges, resourceName, storableString, trafficClass } from './schema-helpers';
import { perMinuteLimit } from './teams';

export const keyEnvironments = ['production', 'staging', 'development'] as const;
export const keyStatuses = ['active', 'revoked', 'expired'] as const;

export const listKeysQuery = z.object({
  status: z.enum(keyStatuses).optional(),
  /** Only this team's keys (members and team tokens always see only their own team's). */
  teamId: z.string().trim().min(1).max(200).optional(),
  ...pageQueryFields(100),
});

const allowedModels = z.array(modelName).max(100);
const tags = z.array(storableString(50)).max(20);
/** Empty allows every class. */
const allowedTrafficClasses = z.array(trafficClass).max(TRAFFIC_CLASSES.length * 2);

/** When the key names both, the default class must be one it allows (an empty list allows all). */
function defaultClassAllowed(
  value: { defaultTrafficClass?: TrafficClass; allowedTrafficClasses?: TrafficClass[] },
  ctx: z.RefinementCtx,
): void {
  const { defaultTrafficClass, allowedTrafficClasses: allowed } = value;
  if (defaultTrafficClass === undefined || allowed === undefined) return;
  if (allowed.length > 0 && !allowed.includes(defaultTrafficClass)) {
    ctx.addIssue({
      code: 'custom',
      path: ['defaultTrafficClass'],
      message: `must be one of allowedTrafficClasses (${allowed.join(', ')})`,
    });
  }
}

export const createKeyInput = z
  .object({
    name: resourceName,
    /** The team the key belongs to (its limits and budgets apply); members may only name their own, the default. */
    teamId: z.string().min(1).max(200).nullable().optional(),
    environment: z.enum(keyEnvironments).default('production'),
    /** Empty means every model. */
    allowedModels: allowedModels.default([]),
    tags: tags.default([]),
    expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
    /** Absent: `interactive`, or the first allowed class when the list leaves `interactive` out. */
    defaultTrafficClass: trafficClass.optional(),
    allowedTrafficClasses: allowedTrafficClasses.default([]),
    /** Requests per minute; null = unlimited. */
    rpmLimit: perMinuteLimit.default(null),
    /** Tokens (input + output) per minute; null = unlimited. */
    tpmLimit: perMinuteLimit.default(null),
  })
  .superRefine(defaultClassAllowed);

export const updateKeyInput = nonEmptyChanges(
  z.object({
    name: resourceName.optional(),
    allowedModels: allowedModels.optional(),
    tags: tags.optional(),
    defaultTrafficClass: trafficClass.optional(),
    allowedTrafficClasses: allowedTrafficClasses.optional(),
    rpmLimit: perMinuteLimit.optional(),
    tpmLimit: perMinuteLimit.optional(),
    /** Moves the key to a team (its RPM/TPM limits and budgets apply on top); null takes it out. */
    teamId: z.string().min(1).nullable().optional(),
    /** Scheduled revocation: the key stops on every router at this time (must be in the future); null removes it. */
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  }),
).superRefine(defaultClassAllowed);

/** The longest grace an old key may keep after rotation: 30 days. */
export const maxRotationGraceSeconds = 30 * 24 * 3600;

/** Exactly one of the two says when the old key stops; `graceSeconds: 0` stops it now. */
export const rotateKeyInput = z
  .object({
    /** Name of the new key; absent: the old key's name. */
    name: resourceName.optional(),
    /** Seconds the old key keeps working (0 to 30 days). */
    graceSeconds: z.number().int().min(0).max(maxRotationGraceSeconds).optional(),
    /** When the old key stops; in the future and at most 30 days away. */
    oldKeyExpiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if ((value.graceSeconds === undefined) === (value.oldKeyExpiresAt === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['graceSeconds'],
        message: 'send exactly one of graceSeconds and oldKeyExpiresAt',
      });
    }
  });

export type ListKeysQuery = z.infer<typeof listKeysQuery>;
export type CreateKeyInput = z.infer<typeof createKeyInput>;
export type UpdateKeyInput = z.infer<typeof updateKeyInput>;
export type RotateKeyInput = z.infer<typeof rotateKeyInput>;

/** An API key as the admin API and the console show it. */
export interface KeyView {
  id: string;
  name: string;
  prefix: string;
  environment: AdminApiKey['environment'];
  status: AdminApiKey['status'];
  allowedModels: string[];
  /** Class of a request that names none (x-switchyard-traffic-class header). */
  defaultTrafficClass: TrafficClass;
  /** Classes a request may ask for; empty allows every class. */
  allowedTrafficClasses: TrafficClass[];
  tags: string[];
  teamId: string | null;
  ownerId: string | null;
  /** Requests per minute; null = unlimited. */
  rpmLimit: number | null;
  /** Tokens (input + output) per minute; null = unlimited. */
  tpmLimit: number | null;
  /** When the key stops working (an expiry, a scheduled revocation, or the end of a rotation's grace). */
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** The key this one replaced by rotation. */
  rotatedFrom: string | null;
  /** The key that replaced this one by rotation; this key stops at `expiresAt`. */
  rotatedTo: string | null;
}

export function toKeyView(key: AdminApiKey): KeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    environment: key.environment,
    status: key.status,
    allowedModels: key.allowedModels,
    defaultTrafficClass: key.defaultTrafficClass,
    allowedTrafficClasses: key.allowedTrafficClasses,
    tags: key.tags,
    teamId: key.teamId,
    ownerId: key.ownerId,
    rpmLimit: key.rpmLimit,
    tpmLimit: key.tpmLimit,
    expiresAt: isoOrNull(key.expiresAt),
    revokedAt: isoOrNull(key.revokedAt),
    lastUsedAt: isoOrNull(key.lastUsedAt),
    createdAt: iso(key.createdAt),
    rotatedFrom: key.rotatedFromId,
    rotatedTo: key.rotatedToId,
  };
}

export async function listKeys(
  ctx: AdminContext,
  actor: Actor,
  query: ListKeysQuery,
): Promise<{ items: KeyView[]; nextCursor: string | null }> {
  authorize(actor, 'read');
  const scope = keyTeamScope(actor);
  if (scope !== null && (scope.teamId === null || (query.teamId ?? scope.teamId) !== scope.teamId)) {
    return { items: [], nextCursor: null };
  }
  const page = await ctx.repos.apiKeys.list({
    status: query.status,
    teamId: scope?.teamId ?? query.teamId,
    limit: query.limit,
    cursor: parseCursor(query.cursor),
  });
  return { items: page.items.map(toKeyView), nextCursor: page.nextCursor };
}

export async function getKey(ctx: AdminContext, actor: Actor, id: string): Promise<KeyView> {
  authorize(actor, 'read');
  return toKeyView(await findKeyInScope(ctx, actor, id));
}

/** The key, or 404 when it does not exist or lies outside the actor's team scope. */
async function findKeyInScope(ctx: AdminContext, actor: Actor, id: string): Promise<AdminApiKey> {
  const key = await ctx.repos.apiKeys.findById(id);
  if (!key) throw new AdminError('not_found', `No API key with id ${id}.`);
  requireKeyInScope(actor, key);
  return key;
}

/** A scoped actor (a member, a team token) may put keys only in its own team. */
function requireTeamInScope(actor: Actor, teamId: string | null): void {
  const scope = keyTeamScope(actor);
  if (scope !== null && (scope.teamId === null || teamId !== scope.teamId)) {
    throw new AdminError(
      'forbidden',
      scope.teamId === null
        ? 'You belong to no team, so you cannot manage keys; ask an admin to add you to one.'
        : `teamId: you may only manage keys of your own team (${scope.teamId}).`,
      'teamId',
    );
  }
}

/** Input is already parsed with `createKeyInput`. The plaintext exists only in the return value: never stored or logged. */
export async function createKey(
  ctx: AdminContext,
  actor: Actor,
  input: CreateKeyInput,
): Promise<{ key: KeyView; plaintext: string }> {
  authorize(actor, 'keys.write');
  const teamId = input.teamId === undefined ? (keyTeamScope(actor)?.teamId ?? null) : input.teamId;
  requireTeamInScope(actor, teamId);
  const expiresAt = input.expiresAt === null ? null : Date.parse(input.expiresAt);
  if (expiresAt !== null && expiresAt <= ctx.now().getTime()) {
    throw new AdminError('invalid_request', 'expiresAt: must be in the future', 'expiresAt');
  }
  const allowedClasses = [...new Set(input.allowedTrafficClasses)];
  const generated = generateApiKey();
  const key = await ctx.repos.apiKeys.create(
    {
      name: input.name,
      digest: generated.digest,
      prefix: generated.prefix,
      environment: input.environment,
      allowedModels: [...new Set(input.allowedModels)],
      tags: [...new Set(input.tags)],
      expiresAt,
      defaultTrafficClass: input.defaultTrafficClass ?? defaultClassFor(allowedClasses),
      allowedTrafficClasses: allowedClasses,
      ownerId: actor.kind === 'user' ? actor.userId : null,
      teamId,
      rpmLimit: input.rpmLimit,
      tpmLimit: input.tpmLimit,
    },
    auditActor(actor),
  );
  return { key: toKeyView(key), plaintext: generated.plaintext };
}

/** `interactive` unless the allow-list leaves it out; then the first class the key may use. */
function defaultClassFor(allowed: TrafficClass[]): TrafficClass {
  return allowed.length === 0 || allowed.includes('interactive')
    ? 'interactive'
    : (allowed[0] ?? 'interactive');
}

/**
 * Input is already parsed with `updateKeyInput`, which checks the two class fields against each other when
 * both are sent; a change to only one is checked here against the stored other.
 */
export async function updateKey(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  changes: UpdateKeyInput,
): Promise<KeyView> {
  authorize(actor, 'keys.write');
  const existing = await findKeyInScope(ctx, actor, id);
  if (changes.teamId !== undefined) requireTeamInScope(actor, changes.teamId);
  const allowed =
    changes.allowedTrafficClasses === undefined ? undefined : [...new Set(changes.allowedTrafficClasses)];
  const defaultClass = changes.defaultTrafficClass ?? existing.defaultTrafficClass;
  const allowedClasses = allowed ?? existing.allowedTrafficClasses;
  if (allowedClasses.length > 0 && !allowedClasses.includes(defaultClass)) {
    const field = changes.defaultTrafficClass === undefined ? 'allowedTrafficClasses' : 'defaultTrafficClass';
    throw new AdminError(
      'invalid_request',
      field === 'defaultTrafficClass'
        ? `defaultTrafficClass: must be one of allowedTrafficClasses (${allowedClasses.join(', ')})`
        : `allowedTrafficClasses: must include the key's defaultTrafficClass (${defaultClass})`,
      field,
    );
  }
  const { expiresAt: expiresAtInput, ...rest } = changes;
  let expiresAt: number | null | undefined;
  if (expiresAtInput !== undefined) {
    expiresAt = expiresAtInput === null ? null : Date.parse(expiresAtInput);
    if (expiresAt !== null && expiresAt <= ctx.now().getTime()) {
      throw new AdminError('invalid_request', 'expiresAt: must be in the future', 'expiresAt');
    }
  }
  const key = await ctx.repos.apiKeys.update(
    id,
    {
      ...rest,
      ...(expiresAt === undefined ? {} : { expiresAt }),
      ...(allowed === undefined ? {} : { allowedTrafficClasses: allowed }),
      ...(changes.allowedModels === undefined ? {} : { allowedModels: [...new Set(changes.allowedModels)] }),
      ...(changes.tags === undefined ? {} : { tags: [...new Set(changes.tags)] }),
    },
    auditActor(actor),
  );
  if (!key) throw new AdminError('not_found', `No API key with id ${id}.`);
  return toKeyView(key);
}

export async function revokeKey(ctx: AdminContext, actor: Actor, id: string): Promise<KeyView> {
  authorize(actor, 'keys.write');
  await findKeyInScope(ctx, actor, id);
  const key = await ctx.repos.apiKeys.revoke(id, auditActor(actor));
  if (!key) throw new AdminError('not_found', `No API key with id ${id}.`);
  return toKeyView(key);
}

/**
 * Input is already parsed with `rotateKeyInput`. The new key's plaintext exists only in the return value: never
 * stored or logged. The old key keeps working until `old.expiresAt`, then every router refuses it (401
 * `expired_api_key`) because the snapshot carries the expiry and authorisation compares it with the clock.
 */
export async function rotateKey(
  ctx: AdminContext,
  actor: Actor,
  id: string,
  input: RotateKeyInput,
): Promise<{ key: KeyView; plaintext: string; oldKey: KeyView }> {
  authorize(actor, 'keys.write');
  const now = ctx.now().getTime();
  let stopAt: number;
  if (input.oldKeyExpiresAt !== undefined) {
    stopAt = Date.parse(input.oldKeyExpiresAt);
    if (stopAt <= now) {
      throw new AdminError('invalid_request', 'oldKeyExpiresAt: must be in the future', 'oldKeyExpiresAt');
    }
    if (stopAt > now + maxRotationGraceSeconds * 1000) {
      throw new AdminError(
        'invalid_request',
        'oldKeyExpiresAt: must be at most 30 days away',
        'oldKeyExpiresAt',
      );
    }
  } else {
    stopAt = now + (input.graceSeconds ?? 0) * 1000;
  }
  const existing = await findKeyInScope(ctx, actor, id);
  const generated = generateApiKey();
  const rotated = await ctx.repos.apiKeys.rotate(
    id,
    { name: input.name ?? existing.name, digest: generated.digest, prefix: generated.prefix },
    stopAt,
    auditActor(actor),
  );
  if (!rotated) throw new AdminError('not_found', `No API key with id ${id}.`);
  return {
    key: toKeyView(rotated.replacement),
    plaintext: generated.plaintext,
    oldKey: toKeyView(rotated.old),
  };
}
