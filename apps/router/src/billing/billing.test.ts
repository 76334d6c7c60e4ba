import {
  type ApiKeyRecord,
  type BudgetRecord,
  type ChatRequest,
  type ConfigSnapshot,
  DEFAULT_ROUTE_POLICIES,
  EMPTY_PRICE_SHEET,
  RoutingTable,
  type ThresholdCrossing,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger';
import { Billing } from './billing';
import { MemoryBudgetStore } from './memory-budget-store';

const T0 = Date.UTC(2026, 11, 6, 12);

const key: ApiKeyRecord = {
  id: 'key_1',
  name: 'k',
  digest: 'd',
  prefix: 'sk-',
  teamId: null,
  environment: 'production',
  tags: [],
  allowedModels: [],
  defaultTrafficClass: 'interactive',
  allowedTrafficClasses: ['interactive'],
  expiresAt: null,
  revokedAt: null,
  ownerId: null,
  rateLimit: { requestsPerMinute: null, tokensPerMinute: null },
  teamRateLimit: null,
};

const budget: BudgetRecord = {
  definition: {
    id: 'bud_key',
    name: 'key budget',
    scope: 'key',
    scopeId: 'key_1',
    period: 'monthly',
    mode: 'hard',
    limitMicros: 1_000_000n,
    alertThresholds: [50],
    timeZone: 'UTC',
  },
  webhookUrl: 'https://hooks.example/budget',
  spentMicros: 0n,
  spentSince: Date.UTC(2026, 11, 1),
};

function snapshot(): ConfigSnapshot {
  return {
    keys: [key],
    providers: [{ id: 'prv_1', name: 'p', kind: 'openai_compatible', baseUrl: 'http://x/v1', enabled: true }],
    accounts: [
      {
        id: 'acc_1',
        providerId: 'prv_1',
        name: 'a',
        credential: 'c',
        weight: 1,
        priority: 0,
        enabled: true,
        credentialRejectedAt: null,
      },
    ],
    routes: [
      {
        id: 'rt_1',
        publicModel: 'chat',
        aliases: [],
        enabled: true,
        targets: [{ id: 'tgt_1', accountId: 'acc_1', upstreamModel: 'm', tier: 0, weight: 1, enabled: true }],
        backupModels: [],
        contextFallbackModel: null,
        missingPricePolicy: 'allow',
        allowCostlierFallback: true,
        policies: {},
      },
    ],
    prices: [
      {
        providerId: 'prv_1',
        vendor: null,
        model: 'm',
        effectiveFrom: 0,
        // $1 per million tokens in and out: a token costs 1 micro-USD.
        sheet: {
          ...EMPTY_PRICE_SHEET,
          inputMicrosPerMillion: 1_000_000n,
          outputMicrosPerMillion: 1_000_000n,
        },
        maxOutputTokens: null,
      },
    ],
    budgets: [budget],
    loadedAt: T0,
  };
}

const chat: ChatRequest = {
  model: 'chat',
  stream: false,
  includeUsage: false,
  maxTokens: 100,
  choices: 1,
  body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 100 },
};

function setUp() {
  const store = new MemoryBudgetStore();
  const alerts: { crossing: ThresholdCrossing; webhookUrl: string | null }[] = [];
  const billing = new Billing({
    store,
    alerts: { emit: (crossing, webhookUrl) => alerts.push({ crossing, webhookUrl }) },
    leaseMs: 60_000,
    defaultMaxOutputTokens: 4_096,
    failurePolicy: 'closed',
    logger: createLogger('error'),
  });
  const table = new RoutingTable(snapshot());
  billing.sync(snapshot());
  const route = table.route('chat');
  if (!route) throw new Error('fixture has no route');
  const admit = () =>
    billing.admit({
      key,
      table,
      route,
      chat,
      bodyBytes: JSON.stringify(chat.body).length,
      policy: DEFAULT_ROUTE_POLICIES.interactive,
      at: T0,
    });
  return { store, alerts, admit, billing };
}

describe('Billing with the in-memory budget store', () => {
  it('admits, holds and settles within the calling tick: no promise on the request path', async () => {
    const { store, alerts, admit } = setUp();
    const admitted = admit();
    expect(admitted).not.toBeInstanceOf(Promise);
    if (admitted instanceof Promise || !admitted.ok) throw new Error('not admitted synchronously');
    // The worst case (the prompt's bound + 100 output tokens, 1 micro-USD each) is held.
    const [held] = await store.usage(T0);
    expect(held?.reservedMicros).toBeGreaterThan(100n);
    // Settling spends 600,000 (past the 50 % threshold): the alert is out when finish() returns.
    admitted.value.finish(600_000n);
    expect(alerts.map((a) => [a.crossing.budgetId, a.crossing.threshold, a.webhookUrl])).toEqual([
      ['bud_key', 50, 'https://hooks.example/budget'],
    ]);
    const [settled] = await store.usage(T0);
    expect(settled?.spentMicros).toBe(600_000n);
    expect(settled?.reservedMicros).toBe(0n);
  });

  it('refuses synchronously what does not fit a hard budget', () => {
    const { admit } = setUp();
    const first = admit();
    if (first instanceof Promise || !first.ok) throw new Error('not admitted synchronously');
    first.value.finish(999_990n);
    const refused = admit();
    expect(refused).not.toBeInstanceOf(Promise);
    if (refused instanceof Promise) throw new Error('answered with a promise');
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('budget_exceeded');
  });

  it('follows a reload in the budgets a key counts against (the same key record, kept across snapshots)', () => {
    const { billing } = setUp();
    expect(billing.budgetsFor(key)).toEqual(['bud_key']);
    const global: BudgetRecord = {
      ...budget,
      definition: { ...budget.definition, id: 'bud_all', scope: 'global', scopeId: null },
    };
    billing.sync({ ...snapshot(), budgets: [budget, global] });
    expect(billing.budgetsFor(key)).toEqual(['bud_key', 'bud_all']);
    billing.sync({ ...snapshot(), budgets: [] });
    expect(billing.budgetsFor(key)).toEqual([]);
  });
});
