import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyFrom, draftFrom, type RouteDraft } from '../src/app/(console)/routes/route-draft';
import { getRoute, saveRoute } from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;
let accountId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  const { accounts } = await providerWithAccounts(t, 'primary');
  accountId = accounts[0]?.id ?? '';
});
afterAll(async () => {
  await t?.close();
});

/** The new-route form as a user fills it in: a name and one target, the rest as the editor starts. */
function newRouteDraft(publicModel: string): RouteDraft {
  return {
    ...draftFrom(null, DEFAULT_ROUTE_POLICIES),
    publicModel,
    targets: [
      {
        key: 'new-1',
        accountId,
        upstreamModel: `${publicModel}-upstream`,
        tier: '0',
        weight: '1',
        enabled: true,
      },
    ],
  };
}

async function storedBilling(routeId: string) {
  const row = await t.prisma.route.findUniqueOrThrow({ where: { id: routeId } });
  return [row.missingPricePolicy, row.allowCostlierFallback];
}

/** The editor as it opens on a saved route. */
async function reopen(routeId: string): Promise<RouteDraft> {
  return draftFrom(await getRoute(t.ctx, t.viewer, routeId), DEFAULT_ROUTE_POLICIES);
}

describe('route editor billing policies', () => {
  it('creates a route with the chosen policies and opens it showing them', async () => {
    const draft = { ...newRouteDraft('billed-chat'), missingPricePolicy: 'block' as const };
    const created = await saveRoute(
      t.ctx,
      t.owner,
      null,
      bodyFrom({ ...draft, allowCostlierFallback: false }),
    );
    expect(await storedBilling(created.id)).toEqual(['block', false]);
    const reopened = await reopen(created.id);
    expect([reopened.missingPricePolicy, reopened.allowCostlierFallback]).toEqual(['block', false]);
  });

  it('stores the schema defaults for an untouched new route, then each edit saved from the reopened editor', async () => {
    const created = await saveRoute(t.ctx, t.owner, null, bodyFrom(newRouteDraft('edited-chat')));
    expect(await storedBilling(created.id)).toEqual(['allow', true]);

    await saveRoute(
      t.ctx,
      t.owner,
      created.id,
      bodyFrom({ ...(await reopen(created.id)), missingPricePolicy: 'block' }),
    );
    expect(await storedBilling(created.id)).toEqual(['block', true]);

    const reopened = await reopen(created.id);
    await saveRoute(t.ctx, t.owner, created.id, bodyFrom({ ...reopened, allowCostlierFallback: false }));
    expect(await storedBilling(created.id)).toEqual(['block', false]);

    // Saving unchanged keeps both: the editor sends what it showed, not the defaults.
    await saveRoute(t.ctx, t.owner, created.id, bodyFrom(await reopen(created.id)));
    expect(await storedBilling(created.id)).toEqual(['block', false]);
  });
});
