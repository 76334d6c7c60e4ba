import { generateApiKey, newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, awaitUsageRow, mockStats, SEEDED_MODEL, type Stack, startStack, waitFor } from './stack';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'attribute me' }];

function row(requestId: string) {
  return awaitUsageRow(stack, requestId);
}

describe('usage rows carry who a request was for', () => {
  let plaintext: string;
  let keyId: string;
  const teamId = newId('team');
  const ownerId = newId('usr');

  beforeAll(async () => {
    await stack.prisma.team.create({ data: { id: teamId, name: 'Research' } });
    await stack.prisma.user.create({
      data: { id: ownerId, email: `${ownerId}@example.test`, name: 'Owner', passwordHash: 'x' },
    });
    const key = generateApiKey();
    keyId = newId('key');
    plaintext = key.plaintext;
    await stack.prisma.apiKey.create({
      data: {
        id: keyId,
        name: 'attributed',
        digest: key.digest,
        prefix: key.prefix,
        teamId,
        ownerId,
        environment: 'staging',
        tags: ['batch', 'nightly'],
      },
    });
    await waitFor('the router to know the key', async () => {
      const res = await fetch(`${stack.routerUrl}/v1/models`, {
        headers: { authorization: `Bearer ${plaintext}` },
      });
      return res.status === 200;
    });
  });

  it("stores the key's owner, team, environment and tags, the request's user and its metadata header", async () => {
    const metadata = { feature: 'summarize', 'trace-id': 'abc-123', note: 'café ✓' };
    // Header values are bytes: non-ASCII travels as JSON escapes.
    const header = JSON.stringify(metadata).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    expect(header).toContain('caf\\u00e9');
    const client = stack.client(plaintext, { defaultHeaders: { 'x-switchyard-metadata': header } });
    const { data, response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages, user: 'end-user-42' })
      .withResponse();
    expect(data.choices[0]?.message.content).toBeTruthy();
    const requestId = response.headers.get('x-request-id') as string;
    const stored = await row(requestId);
    expect(stored).toMatchObject({
      keyId,
      teamId,
      ownerId,
      environment: 'staging',
      tags: ['batch', 'nightly'],
      endUser: 'end-user-42',
      metadata,
      status: 'success',
    });
    // The metadata header is the gateway's: the upstream never sees it.
    const stats = (await (await fetch(`${stack.mockOrigin}/__mock/stats`)).json()) as {
      lastRequest?: { headers?: Record<string, string> };
    };
    expect(stats.lastRequest?.headers?.authorization).toBeDefined();
    expect(Object.keys(stats.lastRequest?.headers ?? {})).not.toContain('x-switchyard-metadata');
  });

  it('stores null user and metadata when the request sends neither', async () => {
    const { response } = await stack
      .client(plaintext)
      .chat.completions.create({ model: SEEDED_MODEL, messages })
      .withResponse();
    const stored = await row(response.headers.get('x-request-id') as string);
    expect(stored).toMatchObject({ endUser: null, metadata: null, ownerId, tags: ['batch', 'nightly'] });
  });

  it.each([
    ['not JSON', '{feature:'],
    ['not an object', '["a"]'],
    ['a non-string value', '{"count":3}'],
    [
      'more than 16 keys',
      JSON.stringify(Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v']))),
    ],
    ['over 2 KiB', JSON.stringify({ big: 'x'.repeat(2_100) })],
  ])('a metadata header that is %s → 400 naming the header, upstream never called', async (_, header) => {
    const before = await mockStats(stack);
    const error = await apiError(
      stack
        .client(plaintext, { defaultHeaders: { 'x-switchyard-metadata': header } })
        .chat.completions.create({ model: SEEDED_MODEL, messages }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('x-switchyard-metadata');
    expect(error.message).toContain('x-switchyard-metadata');
    expect((await mockStats(stack)).requests).toBe(before.requests);
  });

  it('a user longer than 256 characters → 400 naming user, upstream never called', async () => {
    const before = await mockStats(stack);
    const error = await apiError(
      stack
        .client(plaintext)
        .chat.completions.create({ model: SEEDED_MODEL, messages, user: 'u'.repeat(257) }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_request');
    expect(error.param).toBe('user');
    expect((await mockStats(stack)).requests).toBe(before.requests);
    // Exactly 256 is accepted.
    const ok = await stack
      .client(plaintext)
      .chat.completions.create({ model: SEEDED_MODEL, messages, user: 'u'.repeat(256) });
    expect(ok.choices).toHaveLength(1);
  });
});
