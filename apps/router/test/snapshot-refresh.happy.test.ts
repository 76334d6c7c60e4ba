import { generateApiKey, insertUsageEvents, newId } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './stack';

/*
 * The periodic snapshot refresh of a real router, with no configuration change: it must raise the budget spend
 * it holds to what the database recorded (another router's requests, here rows written straight to the table)
 * without reloading the configuration. Prices as in budgets.error.test.ts: every request costs exactly $0.05.
 */
const REQUEST_MICROS = 50_000n;
const messages = [{ role: 'user' as const, content: 'please spend some of my budget now' }];

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ SNAPSHOT_REFRESH_MS: '200', BUDGET_REPORT_MS: '100', LOG_LEVEL: 'debug' });
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: 'mock-refresh',
      inputMicrosPerMillion: 0n,
      outputMicrosPerMillion: 10_000_000_000n, // $0.01 a token; max_tokens 5 → $0.05
      effectiveFrom: new Date(Date.now() - 3_600_000),
    },
  });
  await stack.prisma.route.create({
    data: {
      id: newId('rt'),
      publicModel: 'refresh-model',
      targets: { create: [{ id: newId('tgt'), accountId: stack.accountId, upstreamModel: 'mock-refresh' }] },
    },
  });
  await stack.awaitModels((models) => models.includes('refresh-model'));
});
afterAll(async () => {
  await stack?.stop();
});

describe('periodic snapshot refresh without a configuration change', () => {
  it('picks up spend recorded elsewhere and enforces it, without a full reload', async () => {
    const key = generateApiKey();
    const keyId = newId('key');
    const budgetId = newId('bud');
    await stack.prisma.budget.create({
      data: {
        id: budgetId,
        name: 'ten cents',
        scope: 'key',
        scopeId: keyId,
        period: 'total',
        mode: 'hard',
        limitMicros: 2n * REQUEST_MICROS,
      },
    });
    await stack.prisma.apiKey.create({
      data: { id: keyId, name: 'refresh', digest: key.digest, prefix: key.prefix },
    });
    const client = stack.client(key.plaintext);
    await waitFor('the router to know the key', async () => {
      const res = await fetch(`${stack.routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${key.plaintext}` },
      });
      return res.status === 200;
    });

    const first = await client.chat.completions.create({ model: 'refresh-model', messages, max_tokens: 5 });
    expect(first.choices).toHaveLength(1);
    await waitFor(
      'its usage row',
      async () => (await stack.prisma.usageEvent.count({ where: { keyId } })) === 1,
    );

    const configVersion = async () =>
      (await stack.prisma.configVersion.findUnique({ where: { id: 1 } }))?.version ?? null;
    const version = await configVersion();
    const fullLoads = () => stack.router.output().split('"config snapshot loaded"').length - 1;
    const loadsBefore = fullLoads();
    expect(loadsBefore).toBeGreaterThan(0); // the counter sees loads (debug log)
    // Another router spent the other $0.05: its row is in the database, not in this router's memory.
    await insertUsageEvents(stack.prisma, [
      buildUsageEvent({ requestId: newId('req'), keyId, costMicros: REQUEST_MICROS, createdAt: Date.now() }),
    ]);
    await waitFor('the router to hold the database’s spend', async () => {
      const held = await stack.prisma.budgetUsage.findMany({ where: { budgetId } });
      return held.length === 1 && held[0]?.spentMicros === 2n * REQUEST_MICROS;
    });

    const refused = await client.chat.completions
      .create({ model: 'refresh-model', messages, max_tokens: 5 })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(OpenAI.APIError);
    expect((refused as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((refused as InstanceType<typeof OpenAI.APIError>).code).toBe('budget_exceeded');
    // Usage rows are not configuration, and the refreshes in between re-read spend only.
    expect(await configVersion()).toBe(version);
    expect(fullLoads()).toBe(loadsBefore);
  });
});
