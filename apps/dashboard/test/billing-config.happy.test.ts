import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAdminError } from '../src/server/admin-error';
import { createKey, createKeyInput, updateKey, updateKeyInput } from '../src/server/keys';
import { getRoute, updateRoute, updateRouteInput } from '../src/server/routes';
import {
  createTeam,
  createTeamInput,
  deleteTeam,
  getTeam,
  listTeams,
  updateTeam,
  updateTeamInput,
} from '../src/server/teams';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';
import { providerWithAccounts, simpleRoute } from './routing-fixtures';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

describe('teams and limits', () => {
  it('creates and updates teams with RPM/TPM limits, and refuses to delete one that still has keys', async () => {
    const team = await createTeam(
      t.ctx,
      t.owner,
      createTeamInput.parse({ name: 'payments', rpmLimit: 1200 }),
    );
    expect(team).toMatchObject({ name: 'payments', rpmLimit: 1200, tpmLimit: null, keyCount: 0 });
    const updated = await updateTeam(
      t.ctx,
      t.owner,
      team.id,
      updateTeamInput.parse({ tpmLimit: 500_000, rpmLimit: null }),
    );
    expect(updated).toMatchObject({ rpmLimit: null, tpmLimit: 500_000 });
    expect(
      toAdminError(
        await thrown(() => createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'payments' }))),
      ),
    ).toMatchObject({ code: 'conflict', field: 'name' });

    const { key } = await createKey(
      t.ctx,
      t.owner,
      createKeyInput.parse({ name: 'checkout', rpmLimit: 60, tpmLimit: 10_000 }),
    );
    expect([key.rpmLimit, key.tpmLimit, key.teamId]).toEqual([60, 10_000, null]);
    const moved = await updateKey(
      t.ctx,
      t.owner,
      key.id,
      updateKeyInput.parse({ teamId: team.id, rpmLimit: 120, tpmLimit: null }),
    );
    expect([moved.rpmLimit, moved.tpmLimit, moved.teamId]).toEqual([120, null, team.id]);
    expect((await getTeam(t.ctx, t.viewer, team.id)).keyCount).toBe(1);

    const unknownTeam = toAdminError(
      await thrown(() => updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ teamId: 'team_missing' }))),
    );
    expect(unknownTeam).toMatchObject({ code: 'invalid_request', field: 'teamId' });
    expect(updateKeyInput.safeParse({ rpmLimit: 0 }).success).toBe(false);
    expect(updateKeyInput.safeParse({ tpmLimit: 1.5 }).success).toBe(false);

    expect(toAdminError(await thrown(() => deleteTeam(t.ctx, t.owner, team.id)))).toMatchObject({
      code: 'conflict',
      message: 'id: The team still has 1 key; move them to another team first.',
    });
    await updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ teamId: null }));
    await deleteTeam(t.ctx, t.owner, team.id);
    expect((await listTeams(t.ctx, t.viewer)).items).toEqual([]);

    const audit = await t.prisma.auditLog.findMany({
      where: { targetId: team.id },
      orderBy: { createdAt: 'asc' },
    });
    expect(audit.map((entry) => entry.action)).toEqual(['team.create', 'team.update', 'team.delete']);
  });
});

describe('route pricing policy', () => {
  it('defaults to allow / costlier fallback allowed, and both are settable', async () => {
    const { accounts } = await providerWithAccounts(t, 'primary');
    const route = await simpleRoute(t, accounts[0]?.id ?? '', 'priced-chat');
    expect([route.missingPricePolicy, route.allowCostlierFallback]).toEqual(['allow', true]);
    await updateRoute(
      t.ctx,
      t.owner,
      route.id,
      updateRouteInput.parse({ missingPricePolicy: 'block', allowCostlierFallback: false }),
    );
    const read = await getRoute(t.ctx, t.viewer, route.id);
    expect([read.missingPricePolicy, read.allowCostlierFallback]).toEqual(['block', false]);
    const stored = await t.prisma.route.findUniqueOrThrow({ where: { id: route.id } });
    expect([stored.missingPricePolicy, stored.allowCostlierFallback]).toEqual(['block', false]);
    expect(updateRouteInput.safeParse({ missingPricePolicy: 'maybe' }).success).toBe(false);
  });
});
