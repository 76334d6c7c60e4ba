import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { adminRoute, ok } from '../src/http/admin-route';
import { parseJsonBody } from '../src/http/parse-request';
import { toAdminError } from '../src/server/admin-error';
import { createPrice, createPriceInput, deletePrice, importPrices } from '../src/server/prices';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';

// The same composition as app/api/admin/v1/prices/import/route.ts.
const IMPORT = adminRoute(async ({ req, ctx, actor }) =>
  ok(await importPrices(ctx, actor, await parseJsonBody(req, z.unknown()))),
);
const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set('2030-01-15T10:30:00.000Z');
  vi.stubEnv('NODE_ENV', 'production');
  vi.stubEnv('DATABASE_URL', t.databaseUrl);
  vi.stubEnv('NEXTAUTH_SECRET', 'test-session-secret-0123456789abcdef0123456789');
  vi.stubEnv('SWITCHYARD_ADMIN_TOKEN', ADMIN_TOKEN);
  vi.stubEnv('SWITCHYARD_MASTER_KEY', t.masterKey);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await t?.close();
});

async function postImport(body: unknown) {
  const res = await IMPORT(
    new NextRequest('http://localhost:3000/api/admin/v1/prices/import', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve({}) },
  );
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const good = {
  provider: 'openai',
  model: 'gpt-x',
  effectiveFrom: '2030-01-01',
  input: '1.00',
  output: '2.00',
};

describe('a bad catalog file', () => {
  it('answers 400 listing every issue with its JSON path, and writes nothing (not even the good entries)', async () => {
    const res = await postImport([
      good,
      { provider: 'openai', model: 'gpt-y', effectiveFrom: '2030-01-01', input: 1, ouput: '2.00' },
      { ...good, model: 'gpt-z', images: [{ size: '1024x1024', quality: 'hd' }] },
      { ...good, effectiveFrom: '2030-02-30' },
    ]);
    expect(res.status).toBe(400);
    const error = res.body.error as {
      code: string;
      field: string;
      issues: { path: string; message: string }[];
    };
    expect(error.code).toBe('invalid_request');
    expect(error.issues.map((issue) => issue.path)).toEqual([
      '[1].ouput',
      '[1].input',
      '[2].images[0].price',
      '[3].effectiveFrom',
    ]);
    expect(error.field).toBe('[1].ouput');
    expect(await t.prisma.price.count()).toBe(0);
  });

  it('rejects a file that is not an array', async () => {
    const res = await postImport({ entries: [good] });
    expect(res.status).toBe(400);
    expect((res.body.error as { issues: unknown }).issues).toEqual([
      { path: '(root)', message: 'must be a JSON array of entries' },
    ]);
  });

  it('refuses to change a stored row in place, rolling back the rest of the file', async () => {
    expect((await postImport([good])).status).toBe(200);
    const res = await postImport([
      { ...good, model: 'gpt-new' },
      { ...good, output: '3.00' },
    ]);
    expect(res.status).toBe(400);
    const issues = (res.body.error as { issues: { path: string }[] }).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['[1]']);
    expect(await t.prisma.price.count()).toBe(1);
    const row = await t.prisma.price.findFirstOrThrow();
    expect([row.model, row.outputMicrosPerMillion]).toEqual(['gpt-x', 2_000_000n]);
  });
});

describe('bad single prices', () => {
  it('names the field of a bad amount or date', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ vendor: 'openai', model: 'm', effectiveFrom: '2030-01-01', input: '1.0000001' }, 'input'],
      [{ vendor: 'openai', model: 'm', effectiveFrom: 'soon', input: '1.00' }, 'effectiveFrom'],
      [{ vendor: 'openai', model: '', effectiveFrom: '2030-01-01', input: '1.00' }, 'model'],
      [{ model: 'm', effectiveFrom: '2030-01-01', input: '1.00' }, 'providerId'],
      [{ providerId: 'prv_missing', model: 'm', effectiveFrom: '2030-01-01', input: '1.00' }, 'providerId'],
    ];
    for (const [body, field] of cases) {
      const error = toAdminError(
        await thrown(async () => createPrice(t.ctx, t.owner, createPriceInput.parse(body))),
      );
      expect(error).toMatchObject({ code: 'invalid_request', field });
      expect(error.message.startsWith(`${field}:`)).toBe(true);
    }
  });

  it('refuses a second row at the same instant and the deletion of a row already in force', async () => {
    const body = { vendor: 'openai', model: 'gpt-x', effectiveFrom: '2030-01-01', input: '5.00' };
    const clash = toAdminError(await thrown(() => createPrice(t.ctx, t.owner, createPriceInput.parse(body))));
    expect(clash).toMatchObject({ code: 'conflict', field: 'effectiveFrom' });

    const row = await t.prisma.price.findFirstOrThrow({ where: { model: 'gpt-x' } });
    const refused = await thrown(() => deletePrice(t.ctx, t.owner, row.id));
    expect(refused).toMatchObject({ code: 'conflict', field: 'effectiveFrom' });
    expect(await t.prisma.price.count({ where: { id: row.id } })).toBe(1);
  });

  it('lets viewers read but not write', async () => {
    const error = await thrown(() => importPrices(t.ctx, t.viewer, [good]));
    expect(error).toMatchObject({ code: 'forbidden' });
  });
});
