import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_MODEL, type Stack, startStack } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

async function statusOf(apiKey: string | null): Promise<{ status: number; code: unknown; message: string }> {
  const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(apiKey === null ? {} : { authorization: `Bearer ${apiKey}` }),
    },
    body: JSON.stringify({ model: SEEDED_MODEL, messages }),
  });
  const body = (await res.json()) as { error?: { code?: unknown; message?: string } };
  return { status: res.status, code: body.error?.code ?? null, message: body.error?.message ?? '' };
}

describe('API key authentication', () => {
  it('401 for a missing key', async () => {
    expect(await statusOf(null)).toMatchObject({ status: 401, code: 'missing_api_key' });
  });

  it('401 for an unknown key, without echoing it', async () => {
    const presented = 'sk-sy-this-key-does-not-exist-0123456789abcdef';
    const result = await statusOf(presented);
    expect(result).toMatchObject({ status: 401, code: 'invalid_api_key' });
    expect(result.message).not.toContain(presented);
  });

  it('401 for an Authorization header that is not a bearer token', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${btoa('user:pass')}` },
      body: JSON.stringify({ model: SEEDED_MODEL, messages }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('401 for revoked and expired keys', async () => {
    const revoked = await stack.createKey({ revokedAt: new Date(Date.now() - 1000) });
    const expired = await stack.createKey({ expiresAt: new Date(Date.now() - 1000) });
    expect(await statusOf(revoked.plaintext)).toMatchObject({ status: 401, code: 'revoked_api_key' });
    expect(await statusOf(expired.plaintext)).toMatchObject({ status: 401, code: 'expired_api_key' });
  });

  it('rejects a key within 1 s of its revocation', async () => {
    const key = await stack.createKey();
    const client = new OpenAI({ apiKey: key.plaintext, baseURL: `${stack.routerUrl}/v1`, maxRetries: 0 });
    expect((await client.chat.completions.create({ model: SEEDED_MODEL, messages })).choices).toHaveLength(1);

    await stack.prisma.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 3000) status = (await statusOf(key.plaintext)).status;
    const elapsed = Date.now() - revokedAt;
    expect(status).toBe(401);
    expect(elapsed).toBeLessThan(1000);
  });

  it('never stores the plaintext key', async () => {
    const rows = await stack.prisma.apiKey.findMany();
    for (const row of rows) expect(JSON.stringify(row)).not.toContain(stack.apiKey);
  });
});
