import { exportPriceCatalog, PRICE_CATALOG_SEED, seedPriceCatalog } from '@switchyard/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrice,
  createPriceInput,
  deletePrice,
  exportPrices,
  importPrices,
  listPrices,
  listPricesQuery,
} from '../src/server/prices';
import { createProvider, createProviderInput } from '../src/server/providers';
import { type AdminTestContext, startAdminTestContext } from './admin-test-context';

let t: AdminTestContext;
let providerId: string;

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set('2030-01-15T10:30:00.000Z');
  providerId = (
    await createProvider(
      t.ctx,
      t.owner,
      createProviderInput.parse({ name: 'acme-openai', kind: 'openai', baseUrl: 'https://api.acme.test/v1' }),
    )
  ).id;
});
afterAll(async () => {
  await t?.close();
});

describe('price catalog import and export', () => {
  it('imports the seeded catalog, exports it unchanged, and re-imports the export as all identical', async () => {
    const first = await importPrices(t.ctx, t.owner, PRICE_CATALOG_SEED);
    expect(first).toEqual({ created: PRICE_CATALOG_SEED.length, skippedIdentical: 0 });

    const exported = await exportPrices(t.ctx, t.viewer);
    expect(exported).toEqual(exportPriceCatalog(seedPriceCatalog()));

    const again = await importPrices(t.ctx, t.owner, JSON.parse(JSON.stringify(exported)));
    expect(again).toEqual({ created: 0, skippedIdentical: PRICE_CATALOG_SEED.length });
    expect(await t.prisma.price.count()).toBe(PRICE_CATALOG_SEED.length);
    expect(await exportPrices(t.ctx, t.viewer)).toEqual(exported);
  });

  it('round-trips a provider’s own price under the provider’s name, with every kind of amount', async () => {
    const entry = {
      provider: 'acme-openai',
      model: 'acme-vision',
      effectiveFrom: '2029-06-01T00:00:00.000Z',
      input: '1.25',
      output: '10.00',
      cachedInput: '0.125',
      cacheWrite: '1.5625',
      reasoning: '12.00',
      longContext: { aboveInputTokens: 200_000, input: '2.50', output: '15.00' },
      images: [{ size: '1024x1024', quality: 'hd', price: '0.08' }],
      perImage: '0.04',
      videoPerSecond: '0.10',
      perRequest: '0.000035',
      maxOutputTokens: 65_536,
      notes: 'contract price',
    };
    expect(await importPrices(t.ctx, t.owner, [entry])).toEqual({ created: 1, skippedIdentical: 0 });
    const row = await t.prisma.price.findFirstOrThrow({ where: { model: 'acme-vision' } });
    expect(row).toMatchObject({
      providerId,
      vendor: null,
      inputMicrosPerMillion: 1_250_000n,
      outputMicrosPerMillion: 10_000_000n,
      cachedInputMicrosPerMillion: 125_000n,
      cacheWriteMicrosPerMillion: 1_562_500n,
      reasoningMicrosPerMillion: 12_000_000n,
      imageMicros: 40_000n,
      videoMicrosPerSecond: 100_000n,
      requestMicros: 35n,
      maxOutputTokens: 65_536,
    });
    const exported = (await exportPrices(t.ctx, t.viewer)).filter((e) => e.model === 'acme-vision');
    expect(exported).toEqual([
      { ...entry, longContext: { aboveInputTokens: 200_000, input: '2.50', output: '15.00' } },
    ]);
    expect(await importPrices(t.ctx, t.owner, exported)).toEqual({ created: 0, skippedIdentical: 1 });
  });
});

describe('a flat per-image price', () => {
  it('is created through the admin API field perImage, stored in micro-USD and shown back', async () => {
    const view = await createPrice(
      t.ctx,
      t.owner,
      createPriceInput.parse({
        providerId,
        model: 'acme-painter',
        effectiveFrom: '2030-01-01',
        perImage: '0.04',
      }),
    );
    expect(view).toMatchObject({ status: 'in_force', model: 'acme-painter', perImage: '0.04' });
    const row = await t.prisma.price.findUniqueOrThrow({ where: { id: view.id } });
    expect(row.imageMicros).toBe(40_000n);
    expect(row.inputMicrosPerMillion).toBeNull();
  });
});

describe('price history', () => {
  it('a new effective row supersedes from its date and leaves the row in force before it untouched', async () => {
    const before = await createPrice(
      t.ctx,
      t.owner,
      createPriceInput.parse({
        providerId,
        model: 'acme-chat',
        effectiveFrom: '2030-01-01',
        input: '1.00',
        output: '2.00',
      }),
    );
    expect(before).toMatchObject({
      status: 'in_force',
      provider: 'acme-openai',
      input: '1.00',
      output: '2.00',
    });
    const storedBefore = await t.prisma.price.findUniqueOrThrow({ where: { id: before.id } });

    const next = await createPrice(
      t.ctx,
      t.owner,
      createPriceInput.parse({
        providerId,
        model: 'acme-chat',
        effectiveFrom: '2030-01-15T10:00:00Z',
        input: '0.80',
        output: '1.60',
      }),
    );
    expect(next.status).toBe('in_force');
    const scheduled = await createPrice(
      t.ctx,
      t.owner,
      createPriceInput.parse({
        providerId,
        model: 'acme-chat',
        effectiveFrom: '2030-02-01',
        input: '0.50',
        output: '1.00',
      }),
    );
    expect(scheduled.status).toBe('scheduled');

    // The earlier row is byte-for-byte what it was.
    expect(await t.prisma.price.findUniqueOrThrow({ where: { id: before.id } })).toEqual(storedBefore);

    const history = await listPrices(
      t.ctx,
      t.viewer,
      listPricesQuery.parse({ model: 'acme-chat', history: 'true' }),
    );
    expect(history.items.map((p) => [p.effectiveFrom, p.input, p.status])).toEqual([
      ['2030-02-01T00:00:00.000Z', '0.50', 'scheduled'],
      ['2030-01-15T10:00:00.000Z', '0.80', 'in_force'],
      ['2030-01-01T00:00:00.000Z', '1.00', 'superseded'],
    ]);
    const current = await listPrices(t.ctx, t.viewer, listPricesQuery.parse({ model: 'acme-chat' }));
    expect(current.items.map((p) => p.id)).toEqual([next.id]);

    // Just before the new row's instant, the old one is still the one in force.
    t.clock.set('2030-01-15T09:59:59.999Z');
    const earlier = await listPrices(t.ctx, t.viewer, listPricesQuery.parse({ model: 'acme-chat' }));
    expect(earlier.items.map((p) => [p.id, p.input])).toEqual([[before.id, '1.00']]);
    t.clock.set('2030-01-15T10:30:00.000Z');

    // A future-dated row may be withdrawn; afterwards the history is what it was before it.
    await deletePrice(t.ctx, t.owner, scheduled.id);
    const after = await listPrices(
      t.ctx,
      t.viewer,
      listPricesQuery.parse({ model: 'acme-chat', history: 'true' }),
    );
    expect(after.items.map((p) => p.id)).toEqual([next.id, before.id]);
  });

  it('filters current prices by vendor', async () => {
    const anthropic = await listPrices(t.ctx, t.viewer, listPricesQuery.parse({ vendor: 'anthropic' }));
    const expected = PRICE_CATALOG_SEED.filter((entry) => entry.provider === 'anthropic').length;
    expect(anthropic.items).toHaveLength(expected);
    expect(new Set(anthropic.items.map((p) => p.vendor))).toEqual(new Set(['anthropic']));
  });
});
