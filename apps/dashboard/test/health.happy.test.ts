import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateAccount } from '../src/server/accounts';
import { getHealth, TARGET_HEALTH_STALE_MS } from '../src/server/health';
import { createRoute, createRouteInput, type RouteView } from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;
let route: RouteView;
let ids: { healthy: string; cooling: string; open: string; silent: string; rejected: string };

const NOW = Date.parse('2030-01-15T10:30:00.000Z');

/** A row as a router instance writes it every ~2 s. */
async function insertHealthRow(fields: {
  instanceId: string;
  accountId: string;
  model: string;
  state: string;
  updatedAt: number;
  coolingUntil?: number;
}) {
  await t.prisma.targetHealth.create({
    data: {
      instanceId: fields.instanceId,
      accountId: fields.accountId,
      model: fields.model,
      state: fields.state,
      consecutiveFailures: fields.state === 'open' ? 5 : 0,
      requests: 40,
      failures: fields.state === 'open' ? 22 : 1,
      failureRate: fields.state === 'open' ? 0.55 : 0.025,
      openedAt: fields.state === 'open' ? new Date(fields.updatedAt - 4_000) : null,
      nextProbeAt: fields.state === 'open' ? new Date(fields.updatedAt + 6_000) : null,
      coolingUntil: fields.coolingUntil === undefined ? null : new Date(fields.coolingUntil),
      latencyP50Ms: 120,
      latencyP95Ms: 480,
      lastErrorClass: fields.state === 'open' ? 'upstream_5xx' : null,
      updatedAt: new Date(fields.updatedAt),
    },
  });
}

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set(new Date(NOW));
  const { accounts } = await providerWithAccounts(t, 'healthy', 'cooling', 'open', 'silent', 'rejected');
  const [healthy, cooling, open, silent, rejected] = accounts.map((account) => account.id);
  ids = {
    healthy: healthy ?? '',
    cooling: cooling ?? '',
    open: open ?? '',
    silent: silent ?? '',
    rejected: rejected ?? '',
  };
  route = await createRoute(
    t.ctx,
    t.owner,
    createRouteInput.parse({
      publicModel: 'watched',
      targets: [
        { accountId: ids.healthy, upstreamModel: 'm', weight: 2 },
        { accountId: ids.cooling, upstreamModel: 'm' },
        { accountId: ids.open, upstreamModel: 'm', tier: 1 },
        { accountId: ids.silent, upstreamModel: 'm', tier: 1, enabled: false },
        { accountId: ids.rejected, upstreamModel: 'm', tier: 2 },
      ],
    }),
  );
  await t.prisma.upstreamAccount.update({
    where: { id: ids.rejected },
    data: { credentialRejectedAt: new Date(NOW - 60_000), credentialError: '401 invalid_api_key' },
  });
  // Two routers: r1 is live, r2 stopped a minute ago (its rows are stale).
  await insertHealthRow({
    instanceId: 'r1',
    accountId: ids.healthy,
    model: 'm',
    state: 'closed',
    updatedAt: NOW - 2_000,
  });
  await insertHealthRow({
    instanceId: 'r2',
    accountId: ids.healthy,
    model: 'm',
    state: 'open',
    updatedAt: NOW - 60_000,
  });
  await insertHealthRow({
    instanceId: 'r1',
    accountId: ids.cooling,
    model: 'm',
    state: 'closed',
    updatedAt: NOW - 1_000,
    coolingUntil: NOW + 15_000,
  });
  await insertHealthRow({
    instanceId: 'r1',
    accountId: ids.open,
    model: 'm',
    state: 'open',
    updatedAt: NOW - 1_500,
  });
  // Another upstream model of the same account is a different breaker: never joined to this target.
  await insertHealthRow({
    instanceId: 'r1',
    accountId: ids.healthy,
    model: 'other',
    state: 'open',
    updatedAt: NOW,
  });
});
afterAll(async () => {
  await t?.close();
});

function targetOf(report: Awaited<ReturnType<typeof getHealth>>, accountId: string) {
  const target = report.routes
    .find((candidate) => candidate.id === route.id)
    ?.targets.find((candidate) => candidate.account?.id === accountId);
  if (!target) throw new Error(`no target on ${accountId}`);
  return target;
}

describe('the health report', () => {
  it('joins the freshest row per (account, upstream model), flags stale rows, and ignores other models', async () => {
    const report = await getHealth(t.ctx, t.viewer);
    expect(report.generatedAt).toBe('2030-01-15T10:30:00.000Z');
    expect(report.staleAfterMs).toBe(TARGET_HEALTH_STALE_MS);
    const healthy = targetOf(report, ids.healthy);
    expect(healthy).toMatchObject({
      targetId: route.targets.find((target) => target.accountId === ids.healthy)?.id,
      tier: 0,
      weight: 2,
      upstreamModel: 'm',
      enabled: { route: true, target: true, account: true, provider: true },
      account: { id: ids.healthy, name: 'healthy', credentialRejectedAt: null, credentialError: null },
      provider: { kind: 'openai_compatible' },
      availability: 'available',
    });
    expect(healthy.health).toEqual({
      instanceId: 'r1',
      state: 'closed',
      consecutiveFailures: 0,
      requests: 40,
      failures: 1,
      failureRate: 0.025,
      openedAt: null,
      nextProbeAt: null,
      coolingUntil: null,
      latencyP50Ms: 120,
      latencyP95Ms: 480,
      lastErrorClass: null,
      updatedAt: '2030-01-15T10:29:58.000Z',
      stale: false,
    });
    expect(healthy.instances.map((row) => [row.instanceId, row.state, row.stale])).toEqual([
      ['r1', 'closed', false],
      ['r2', 'open', true],
    ]);
  });

  it('says why each target can or cannot take traffic', async () => {
    const report = await getHealth(t.ctx, t.viewer);
    expect(targetOf(report, ids.cooling)).toMatchObject({
      availability: 'cooling',
      health: { coolingUntil: '2030-01-15T10:30:15.000Z', stale: false },
    });
    expect(targetOf(report, ids.open)).toMatchObject({
      availability: 'circuit_open',
      health: {
        state: 'open',
        consecutiveFailures: 5,
        failureRate: 0.55,
        openedAt: '2030-01-15T10:29:54.500Z',
        nextProbeAt: '2030-01-15T10:30:04.500Z',
        lastErrorClass: 'upstream_5xx',
      },
    });
    expect(targetOf(report, ids.silent)).toMatchObject({
      availability: 'disabled',
      enabled: { target: false, account: true },
      health: null,
      instances: [],
    });
    expect(targetOf(report, ids.rejected)).toMatchObject({
      availability: 'credential_rejected',
      account: { credentialRejectedAt: '2030-01-15T10:29:00.000Z', credentialError: '401 invalid_api_key' },
    });
  });

  it('reads every row as stale once the routers stop writing, and follows account switches', async () => {
    t.clock.set(new Date(NOW + TARGET_HEALTH_STALE_MS + 2_001));
    await updateAccount(t.ctx, t.owner, ids.open, { enabled: false });
    const report = await getHealth(t.ctx, t.viewer);
    const healthy = targetOf(report, ids.healthy);
    expect([healthy.availability, healthy.health?.stale]).toEqual(['no_data', true]);
    expect(targetOf(report, ids.open)).toMatchObject({
      availability: 'disabled',
      enabled: { target: true, account: false, provider: true },
    });
    t.clock.set(new Date(NOW));
  });
});
