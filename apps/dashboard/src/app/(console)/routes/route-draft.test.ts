import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import {
  createRouteInput,
  effectivePolicies,
  type RouteView,
  updateRouteInput,
} from '../../../server/routes';
import { bodyFrom, draftFrom } from './route-draft';

/** A saved route as the server answers it, with one target so its draft's body passes the schemas. */
function savedRoute(billing: Pick<RouteView, 'missingPricePolicy' | 'allowCostlierFallback'>): RouteView {
  return {
    id: 'rt_saved',
    publicModel: 'saved-chat',
    aliases: [],
    description: null,
    enabled: true,
    backupModels: [],
    contextFallbackModel: null,
    policies: {},
    effectivePolicies: effectivePolicies({}),
    targets: [
      {
        id: 'tgt_saved',
        accountId: 'acc_saved',
        upstreamModel: 'upstream',
        tier: 0,
        weight: 1,
        enabled: true,
      },
    ],
    ...billing,
    createdAt: '2030-01-15T10:30:00.000Z',
    updatedAt: '2030-01-15T10:30:00.000Z',
  };
}

const billingOf = (value: { missingPricePolicy?: unknown; allowCostlierFallback?: unknown }) => [
  value.missingPricePolicy,
  value.allowCostlierFallback,
];

describe('route draft billing policies', () => {
  it("starts a new route from the create schema's defaults", () => {
    const body = bodyFrom(draftFrom(null, DEFAULT_ROUTE_POLICIES));
    const schemaDefaults = createRouteInput.parse({
      publicModel: 'p',
      targets: [{ accountId: 'acc_x', upstreamModel: 'm' }],
    });
    expect(billingOf(body)).toEqual(billingOf(schemaDefaults));
    expect(billingOf(body)).toEqual(['allow', true]);
  });

  it("shows a saved route's values and sends them, or the edited ones, through the update schema", () => {
    const draft = draftFrom(
      savedRoute({ missingPricePolicy: 'block', allowCostlierFallback: false }),
      DEFAULT_ROUTE_POLICIES,
    );
    expect(billingOf(draft)).toEqual(['block', false]);
    expect(billingOf(updateRouteInput.parse(bodyFrom(draft)))).toEqual(['block', false]);

    const edited = { ...draft, missingPricePolicy: 'allow' as const, allowCostlierFallback: true };
    expect(billingOf(updateRouteInput.parse(bodyFrom(edited)))).toEqual(['allow', true]);
  });
});
