import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { type ConfigDocument, canonicalPrices, configDocument } from './config-document';
import { planConfigChanges, renderPlan } from './plan-config-changes';

/** An `${NAME}` environment reference. */
const ref = (variable: string) => `\${${variable}}`;

// Names an operator might type, YAML's troublemakers included ("true", "null", "1e3", "- x", "a: b", "#x").
const name = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }).filter((text) => !text.includes('/') && text.trim() === text),
  fc.constantFrom('true', 'null', '1e3', '- x', 'a: b', '#x', ref('X'), '2026-01-01', 'ü ß', '0x10'),
);
const limit = fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null });

const documentArbitrary = fc
  .record({
    providers: fc.uniqueArray(
      fc.record({
        name,
        kind: fc.constantFrom('openai', 'anthropic', 'gemini'),
        baseUrl: fc.constantFrom('https://api.example.com/v1', 'http://127.0.0.1:9000'),
        enabled: fc.boolean(),
        accounts: fc.uniqueArray(
          fc.record({
            name,
            credential: fc.constant(ref('SOME_CREDENTIAL')),
            weight: fc.integer({ min: 0, max: 1000 }),
            priority: fc.integer({ min: 0, max: 1000 }),
            enabled: fc.boolean(),
            healthCheck: fc.record({ enabled: fc.option(fc.boolean(), { nil: null }), intervalMs: limit }),
          }),
          { selector: (account) => account.name, minLength: 1, maxLength: 3 },
        ),
      }),
      { selector: (provider) => provider.name, minLength: 1, maxLength: 3 },
    ),
    teams: fc.uniqueArray(fc.record({ name, rpmLimit: limit, tpmLimit: limit }), {
      selector: (team) => team.name,
      maxLength: 3,
    }),
    budgets: fc.uniqueArray(
      fc.record({
        name,
        scope: fc.constant('global' as const),
        scopeName: fc.constant(null),
        period: fc.constantFrom('daily' as const, 'monthly' as const),
        limitUsd: fc.integer({ min: 0, max: 10_000_000 }).map((cents) => (cents / 100).toFixed(2)),
      }),
      { selector: (budget) => budget.name, maxLength: 3 },
    ),
  })
  .map((raw): ConfigDocument => {
    const accounts = raw.providers.flatMap((p) => p.accounts.map((a) => `${p.name}/${a.name}`));
    return configDocument.parse({
      version: 1,
      ...raw,
      routes: accounts.map((account, index) => ({
        publicModel: `model-${index}`,
        targets: [{ account, upstreamModel: 'm', weight: index }],
      })),
    });
  });

describe('planConfigChanges', () => {
  it('plans nothing when the file matches the gateway, also after a trip through YAML', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const reread = configDocument.parse(parse(stringify(document, { lineWidth: 0 })));
        expect(reread).toEqual(document);
        expect(planConfigChanges(reread, document)).toEqual({ changes: [], problems: [] });
      }),
    );
  });

  it('creates every object of a file applied to an empty gateway', () => {
    fc.assert(
      fc.property(documentArbitrary, (document) => {
        const plan = planConfigChanges(document, configDocument.parse({ version: 1 }));
        const accounts = document.providers.flatMap((provider) => provider.accounts).length;
        const expected =
          document.providers.length +
          accounts +
          document.teams.length +
          document.routes.length +
          document.budgets.length;
        expect(plan.changes.filter((change) => change.action === 'create')).toHaveLength(expected);
        expect(plan.changes).toHaveLength(expected);
      }),
    );
  });

  it('shows exactly the one field that changed', () => {
    fc.assert(
      fc.property(documentArbitrary, fc.integer({ min: 0, max: 1000 }), (live, weight) => {
        const provider = live.providers[0];
        const account = provider?.accounts[0];
        fc.pre(provider !== undefined && account !== undefined && account.weight !== weight);
        const desired = structuredClone(live);
        (desired.providers[0]?.accounts[0] as { weight: number }).weight = weight;
        const plan = planConfigChanges(desired, live);
        expect(plan.changes).toEqual([
          {
            action: 'update',
            kind: 'account',
            name: `${provider?.name}/${account?.name}`,
            fields: [{ field: 'weight', from: account?.weight, to: weight }],
          },
        ]);
      }),
    );
  });

  it('ignores target order and how a USD amount is written', () => {
    const live = configDocument.parse({
      version: 1,
      routes: [
        {
          publicModel: 'chat',
          targets: [
            { account: 'a/x', upstreamModel: 'm1' },
            { account: 'b/y', upstreamModel: 'm2', tier: 1 },
          ],
        },
      ],
      budgets: [{ name: 'cap', scope: 'global', period: 'daily', limitUsd: '250.00' }],
      providers: [
        { name: 'a', kind: 'openai', baseUrl: 'https://a', accounts: [{ name: 'x', credential: ref('A') }] },
        { name: 'b', kind: 'openai', baseUrl: 'https://b', accounts: [{ name: 'y', credential: ref('B') }] },
      ],
    });
    const desired = structuredClone(live);
    desired.routes[0]?.targets.reverse();
    (desired.budgets[0] as { limitUsd: string }).limitUsd = '250';
    expect(renderPlan(planConfigChanges(desired, live))).toBe('No changes: the gateway matches the file.\n');
  });

  it('refuses what the API cannot change in place', () => {
    const live = configDocument.parse({ version: 1, keys: [{ name: 'bot', environment: 'staging' }] });
    const desired = configDocument.parse({ version: 1, keys: [{ name: 'bot', environment: 'production' }] });
    expect(planConfigChanges(desired, live).problems).toEqual([
      'key bot: environment cannot change (staging → production); revoke the key and create a new one',
    ]);
  });
});

describe('configDocument', () => {
  it('reads a hand-written price row as the stored row it names', () => {
    const file = (row: Record<string, unknown>) =>
      canonicalPrices(configDocument.parse({ version: 1, prices: [{ provider: 'p', model: 'm', ...row }] }));
    const typed = file({ effectiveFrom: '2026-01-01', input: '2.5', output: '10' });
    const exported = file({ effectiveFrom: '2026-01-01T00:00:00.000Z', input: '2.50', output: '10.00' });
    expect(planConfigChanges(typed, exported)).toEqual({ changes: [], problems: [] });
    expect(typed.prices[0]?.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    expect(() => file({ effectiveFrom: 'soon', input: '2.5' })).toThrow(/prices\[0\]\.effectiveFrom/);
  });

  it('refuses a literal credential and names the field', () => {
    const result = configDocument.safeParse({
      version: 1,
      providers: [
        {
          name: 'p',
          kind: 'openai',
          baseUrl: 'https://p',
          accounts: [{ name: 'a', credential: 'sk-live-1' }],
        },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([
      'providers.0.accounts.0.credential',
    ]);
  });
});
