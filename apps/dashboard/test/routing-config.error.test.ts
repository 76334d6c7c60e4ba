import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyFrom, draftFrom } from '../src/app/(console)/routes/route-draft';
import { actionFailure } from '../src/server/action-failure';
import { toAdminError } from '../src/server/admin-error';
import {
  createRoute,
  createRouteInput,
  deleteRoute,
  getRoute,
  saveRoute,
  updateRoute,
  updateRouteInput,
  updateRouteTarget,
  updateRouteTargetInput,
} from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';
import { providerWithAccounts, simpleRoute } from './routing-fixtures';

let t: AdminTestContext;
let accountId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  const { accounts } = await providerWithAccounts(t, 'only');
  accountId = accounts[0]?.id ?? '';
});
afterAll(async () => {
  await t?.close();
});

/** A policy as a client would send it: the interactive default, changed by `patch`. */
function policy(patch: { rungs?: object; maxAttempts?: unknown; timeouts?: object } = {}) {
  const base = DEFAULT_ROUTE_POLICIES.interactive;
  return {
    rungs: { ...base.rungs, ...patch.rungs },
    maxAttempts: patch.maxAttempts ?? base.maxAttempts,
    timeouts: { ...base.timeouts, ...patch.timeouts },
  };
}

/** Parses a route body and returns the admin error it maps to. */
function rejection(body: unknown) {
  const result = createRouteInput.safeParse(body);
  expect(result.success).toBe(false);
  return toAdminError(result.error);
}

describe('route policies', () => {
  const route = (policies: unknown) => ({
    publicModel: 'p',
    targets: [{ accountId: 'acc_x', upstreamModel: 'm' }],
    policies,
  });

  it('names the exact field of a bad policy', () => {
    const cases: [unknown, string, string][] = [
      [
        { evaluation: policy({ rungs: { backupModel: true } }) },
        'policies.evaluation.rungs.backupModel',
        'policies.evaluation.rungs.backupModel: the evaluation traffic class never changes the model; must be false.',
      ],
      [
        { interactive: policy({ timeouts: { connectMs: 40_000, firstByteMs: 30_000 } }) },
        'policies.interactive.timeouts.connectMs',
        'policies.interactive.timeouts.connectMs: must not exceed timeouts.firstByteMs.',
      ],
      [
        { background: policy({ maxAttempts: 11 }) },
        'policies.background.maxAttempts',
        'policies.background.maxAttempts: expected an integer from 1 to 10.',
      ],
      [
        { agent: policy({ timeouts: { idleMs: -1 } }) },
        'policies.agent.timeouts.idleMs',
        'policies.agent.timeouts.idleMs: expected a positive integer number of milliseconds.',
      ],
      [
        { media: { ...policy(), rungs: { retrySameTarget: true } } },
        'policies.media.rungs.otherAccount',
        'policies.media.rungs.otherAccount: expected a boolean.',
      ],
      [
        { realtime: policy() },
        'policies.realtime',
        'policies.realtime: is not a traffic class; expected one of interactive, background, evaluation, media, agent',
      ],
    ];
    for (const [policies, field, message] of cases) {
      expect(rejection(route(policies)), field).toMatchObject({ code: 'invalid_request', field, message });
    }
  });

  it('checks policies in an update too, and leaves the stored route as it was', async () => {
    const saved = await simpleRoute(t, accountId, 'policy-update');
    const result = updateRouteInput.safeParse({
      policies: { interactive: policy({ timeouts: { totalMs: 3_600_001 } }) },
    });
    expect(result.success).toBe(false);
    expect(toAdminError(result.error)).toMatchObject({
      field: 'policies.interactive.timeouts.totalMs',
      message: 'policies.interactive.timeouts.totalMs: must be at most 3600000 (one hour).',
    });
    const row = await t.prisma.route.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row.policies).toEqual({});
  });
});

describe('billing policies', () => {
  it('names the field of a bad value saved from the editor in plain words, and leaves the stored route as it was', async () => {
    const saved = await simpleRoute(t, accountId, 'billing-update');
    const body = bodyFrom(draftFrom(await getRoute(t.ctx, t.owner, saved.id), DEFAULT_ROUTE_POLICIES));
    const cases: [object, string, string][] = [
      [
        { missingPricePolicy: 'maybe' },
        'missingPricePolicy',
        'missingPricePolicy: Choose one of: block, allow.',
      ],
      [{ allowCostlierFallback: 'no' }, 'allowCostlierFallback', 'allowCostlierFallback: Choose yes or no.'],
    ];
    for (const [change, field, message] of cases) {
      const error = await thrown(() => saveRoute(t.ctx, t.owner, saved.id, { ...body, ...change }));
      expect(actionFailure(error), field).toEqual({ field, message });
    }
    const row = await t.prisma.route.findUniqueOrThrow({ where: { id: saved.id } });
    expect([row.missingPricePolicy, row.allowCostlierFallback]).toEqual(['allow', true]);
  });
});

describe('backup models', () => {
  it('refuses a cycle a → b → a, naming backupModels and the path, and saves nothing', async () => {
    const a = await simpleRoute(t, accountId, 'cycle-a');
    await simpleRoute(t, accountId, 'cycle-b', { backupModels: ['cycle-a'] });
    const error = await thrown(() =>
      updateRoute(t.ctx, t.owner, a.id, updateRouteInput.parse({ backupModels: ['cycle-b'] })),
    );
    expect(toAdminError(error)).toMatchObject({
      code: 'conflict',
      field: 'backupModels',
      message: 'backupModels: Fallback models would form a cycle: cycle-a → cycle-b → cycle-a.',
    });
    const row = await t.prisma.route.findUniqueOrThrow({ where: { id: a.id } });
    expect(row.backupModels).toEqual([]);
  });

  it('sees a longer cycle through an alias: x → y → z → x', async () => {
    await simpleRoute(t, accountId, 'chain-z', { backupModels: [] });
    await simpleRoute(t, accountId, 'chain-y', { aliases: ['why'], backupModels: ['chain-z'] });
    const x = await simpleRoute(t, accountId, 'chain-x', { backupModels: ['why'] });
    const z = await t.prisma.route.findUniqueOrThrow({ where: { publicModel: 'chain-z' } });
    const error = await thrown(() =>
      updateRoute(
        t.ctx,
        t.owner,
        z.id,
        updateRouteInput.parse({ backupModels: [x.aliases[0] ?? 'chain-x'] }),
      ),
    );
    expect(toAdminError(error)).toMatchObject({
      code: 'conflict',
      field: 'backupModels',
      message: 'backupModels: Fallback models would form a cycle: chain-z → chain-x → chain-y → chain-z.',
    });
  });

  it('refuses a backup no route answers to, the route itself, and one route listed twice', async () => {
    await simpleRoute(t, accountId, 'target-route', { aliases: ['target-alias'] });
    const cases: [object, string, string][] = [
      [
        { publicModel: 'fresh-1', backupModels: ['target-route', 'no-such-model'] },
        'backupModels[1]',
        'backupModels[1]: No route answers to "no-such-model".',
      ],
      [
        { publicModel: 'fresh-2', aliases: ['me'], backupModels: ['me'] },
        'backupModels[0]',
        'backupModels[0]: "me" is this route; a route cannot fall back to itself.',
      ],
      [
        { publicModel: 'fresh-3', backupModels: ['target-route', 'target-alias'] },
        'backupModels[1]',
        'backupModels[1]: "target-alias" names route "target-route", already listed as backupModels[0].',
      ],
    ];
    const before = await t.prisma.route.count();
    for (const [fields, field, message] of cases) {
      const error = await thrown(() =>
        createRoute(
          t.ctx,
          t.owner,
          createRouteInput.parse({ ...fields, targets: [{ accountId, upstreamModel: 'm' }] }),
        ),
      );
      expect(toAdminError(error), field).toMatchObject({ code: 'invalid_request', field, message });
    }
    expect(await t.prisma.route.count()).toBe(before);
  });

  it('checks the context-window fallback like a backup: it must exist and close no cycle', async () => {
    const wide = await simpleRoute(t, accountId, 'wide-context');
    const narrow = await simpleRoute(t, accountId, 'narrow-context', {
      contextFallbackModel: 'wide-context',
    });
    expect(narrow.contextFallbackModel).toBe('wide-context');

    const unknown = await thrown(() =>
      updateRoute(
        t.ctx,
        t.owner,
        narrow.id,
        updateRouteInput.parse({ contextFallbackModel: 'huge-context' }),
      ),
    );
    expect(toAdminError(unknown)).toMatchObject({
      code: 'invalid_request',
      field: 'contextFallbackModel',
      message: 'contextFallbackModel: No route answers to "huge-context".',
    });
    const cycle = await thrown(() =>
      updateRoute(t.ctx, t.owner, wide.id, updateRouteInput.parse({ backupModels: ['narrow-context'] })),
    );
    expect(toAdminError(cycle)).toMatchObject({
      code: 'conflict',
      field: 'backupModels',
      message:
        'backupModels: Fallback models would form a cycle: wide-context → narrow-context → wide-context.',
    });
    const deleted = await thrown(() => deleteRoute(t.ctx, t.owner, wide.id));
    expect(toAdminError(deleted)).toMatchObject({
      code: 'conflict',
      message: 'id: Route "narrow-context" falls back to "wide-context"; remove it there first.',
    });
  });

  it('refuses to delete a route another route falls back to', async () => {
    const backup = await simpleRoute(t, accountId, 'needed-backup');
    await simpleRoute(t, accountId, 'needs-it', { backupModels: ['needed-backup'] });
    const error = await thrown(() => deleteRoute(t.ctx, t.owner, backup.id));
    expect(toAdminError(error)).toMatchObject({
      code: 'conflict',
      message: 'id: Route "needs-it" falls back to "needed-backup"; remove it there first.',
    });
    expect(await t.prisma.route.count({ where: { id: backup.id } })).toBe(1);
  });
});

describe('targets', () => {
  it('answers not_found for a target of another route, and forbids viewers', async () => {
    const one = await simpleRoute(t, accountId, 'targets-one');
    const two = await simpleRoute(t, accountId, 'targets-two');
    const foreign = two.targets[0]?.id ?? '';
    expect(
      await thrown(() => updateRouteTarget(t.ctx, t.owner, one.id, foreign, { enabled: false })),
    ).toMatchObject({ code: 'not_found' });
    expect(
      await thrown(() => updateRouteTarget(t.ctx, t.viewer, two.id, foreign, { enabled: false })),
    ).toMatchObject({ code: 'forbidden' });
    const row = await t.prisma.routeTarget.findUniqueOrThrow({ where: { id: foreign } });
    expect(row.enabled).toBe(true);
  });

  it('names a bad target field and an id the route does not have', async () => {
    const empty = updateRouteTargetInput.safeParse({});
    expect(toAdminError(empty.error)).toMatchObject({ code: 'invalid_request', field: 'body' });
    const weight = updateRouteTargetInput.safeParse({ weight: 1001 });
    expect(toAdminError(weight.error)).toMatchObject({ code: 'invalid_request', field: 'weight' });

    const route = await simpleRoute(t, accountId, 'targets-ids');
    const error = await thrown(() =>
      updateRoute(
        t.ctx,
        t.owner,
        route.id,
        updateRouteInput.parse({ targets: [{ id: 'tgt_missing', accountId, upstreamModel: 'm' }] }),
      ),
    );
    expect(toAdminError(error)).toMatchObject({ code: 'invalid_request', field: 'targets[0].id' });
    const twice = updateRouteInput.safeParse({
      targets: [
        { id: 'tgt_a', accountId, upstreamModel: 'm' },
        { id: 'tgt_a', accountId, upstreamModel: 'm' },
      ],
    });
    expect(toAdminError(twice.error)).toMatchObject({ field: 'targets[1].id' });
  });
});
