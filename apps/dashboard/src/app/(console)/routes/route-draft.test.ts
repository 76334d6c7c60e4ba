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
function savedRoute(
  billing: Pick<RouteView, 'missingPricePolicy' | 'allowCostlierFallback'> &
    Partial<Pick<RouteView, 'capturePayloads'>>,
): RouteView {
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
    breaker: {
      consecutiveFailures: 2,
      failureRateThreshold: null,
      windowMs: null,
      minimumRequests: null,
      coolDownMs: 60_000,
    },
    effectiveBreaker: {
      consecutiveFailures: { value: 2, source: 'route' },
      failureRateThreshold: { value: 0.5, source: 'router_default' },
      windowMs: { value: 30_000, source: 'router_default' },
      minimumRequests: { value: 20, source: 'router_default' },
      coolDownMs: { value: 60_000, source: 'route' },
    },
    sharedBreakers: [],
    routerSettings: { source: 'assumed_default', instances: 0, differ: false },
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
    capturePayloads: false,
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

describe('route draft payload capture', () => {
  it("starts off for a new route, shows a saved route's setting and sends the edited one", () => {
    expect(bodyFrom(draftFrom(null, DEFAULT_ROUTE_POLICIES)).capturePayloads).toBe(false);
    const draft = draftFrom(
      savedRoute({ missingPricePolicy: 'allow', allowCostlierFallback: true, capturePayloads: true }),
      DEFAULT_ROUTE_POLICIES,
    );
    expect(draft.capturePayloads).toBe(true);
    expect(updateRouteInput.parse(bodyFrom(draft)).capturePayloads).toBe(true);
    expect(updateRouteInput.parse(bodyFrom({ ...draft, capturePayloads: false })).capturePayloads).toBe(
      false,
    );
  });
});

describe('route draft breaker thresholds', () => {
  it("shows a saved route's thresholds, blank for the defaults, and sends them as the update schema reads them", () => {
    const draft = draftFrom(
      savedRoute({ missingPricePolicy: 'allow', allowCostlierFallback: true }),
      DEFAULT_ROUTE_POLICIES,
    );
    expect(draft.breaker).toEqual({
      consecutiveFailures: '2',
      failureRateThreshold: '',
      windowMs: '',
      minimumRequests: '',
      coolDownMs: '60000',
    });
    expect(updateRouteInput.parse(bodyFrom(draft)).breaker).toEqual({
      consecutiveFailures: 2,
      failureRateThreshold: null,
      windowMs: null,
      minimumRequests: null,
      coolDownMs: 60_000,
    });
  });

  it('refuses a threshold that is not a number, naming its field', () => {
    const draft = draftFrom(null, DEFAULT_ROUTE_POLICIES);
    const body = bodyFrom({ ...draft, breaker: { ...draft.breaker, windowMs: 'soon' } });
    const result = createRouteInput.safeParse({
      ...body,
      publicModel: 'p',
      targets: [{ accountId: 'acc_x', upstreamModel: 'm' }],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['breaker', 'windowMs']);
  });
});
