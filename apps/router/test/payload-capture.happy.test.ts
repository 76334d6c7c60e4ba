import { generateApiKey, newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger';
import { startUsageRetention } from '../src/usage/usage-retention-job';
import {
  awaitUsageRow,
  SEEDED_MODEL,
  type Stack,
  startExtraRouter,
  startStack,
  UPSTREAM_MODEL,
  waitFor,
} from './stack';

/** Under the routers' 30 s periodic refresh: a pass means LISTEN/NOTIFY carried the change. */
const RELOAD = { timeoutMs: 15_000 };

type ExtraRouter = Awaited<ReturnType<typeof startExtraRouter>>;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** A key stored with `capturePayloads` as given, once the router at `routerUrl` knows it. */
async function keyWith(
  capturePayloads: boolean,
  routerUrl = stack.routerUrl,
): Promise<{ plaintext: string; id: string }> {
  const key = generateApiKey();
  const id = newId('key');
  await stack.prisma.apiKey.create({
    data: { id, name: `capture ${capturePayloads}`, digest: key.digest, prefix: key.prefix, capturePayloads },
  });
  await waitFor('the router to know the key', async () => {
    const res = await fetch(`${routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    return res.status === 200;
  });
  return { plaintext: key.plaintext, id };
}

/** The payload row of a request, read once its usage row (written in the same statement) is stored. */
async function payloadOf(requestId: string, routerUrl?: string) {
  await awaitUsageRow(stack, requestId, routerUrl);
  return stack.prisma.requestPayload.findUnique({ where: { requestId } });
}

/**
 * Sends requests until one is captured, and answers its payload row: a configuration change reaches the router
 * by LISTEN/NOTIFY, and until then its requests are not captured.
 */
function firstCaptured(plaintext: string, model: string, content: string) {
  return waitFor(
    `a captured request (${content})`,
    async () => {
      const { response } = await stack
        .client(plaintext)
        .chat.completions.create({ model, messages: [{ role: 'user', content }] })
        .withResponse();
      return payloadOf(response.headers.get('x-request-id') as string);
    },
    RELOAD,
  );
}

/** The text of a chat completions stream's raw server-sent events, deltas joined. */
function streamedText(sse: string): string {
  let text = '';
  for (const line of sse.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue;
    const chunk = JSON.parse(line.slice('data: '.length)) as {
      choices?: { delta?: { content?: string | null } }[];
    };
    text += chunk.choices?.[0]?.delta?.content ?? '';
  }
  return text;
}

describe('payload capture', () => {
  let capturing: { plaintext: string; id: string };
  let plain: { plaintext: string; id: string };

  beforeAll(async () => {
    [capturing, plain] = await Promise.all([keyWith(true), keyWith(false)]);
  });

  it("stores an opted-in key's request as sent and the answer as received, never its headers", async () => {
    const messages = [{ role: 'user' as const, content: 'capture this prompt, please' }];
    const { data, response } = await stack
      .client(capturing.plaintext)
      .chat.completions.create({ model: SEEDED_MODEL, messages, temperature: 0.5 })
      .withResponse();
    const answer = data.choices[0]?.message.content;
    expect(answer).toContain('capture this prompt, please');
    const row = await payloadOf(response.headers.get('x-request-id') as string);

    expect(JSON.parse(row?.requestBody ?? 'null')).toEqual({
      model: SEEDED_MODEL,
      messages,
      temperature: 0.5,
    });
    const stored = JSON.parse(row?.responseBody ?? 'null') as typeof data;
    expect(stored.choices[0]?.message.content).toBe(answer);
    expect(stored.id).toBe(data.id);
    expect([row?.requestTruncated, row?.responseTruncated]).toEqual([false, false]);
    expect(`${row?.requestBody}${row?.responseBody}`).not.toContain(capturing.plaintext);
  });

  it("stores a stream's events as the client received them", async () => {
    const { data: stream, response } = await stack
      .client(capturing.plaintext)
      .chat.completions.create({
        model: SEEDED_MODEL,
        messages: [{ role: 'user', content: 'stream and keep it' }],
        stream: true,
      })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    const requestId = response.headers.get('x-request-id') as string;
    expect(text).toContain('stream and keep it');
    const row = await payloadOf(requestId);
    expect(JSON.parse(row?.requestBody ?? 'null')).toMatchObject({ stream: true });
    expect(streamedText(row?.responseBody ?? '')).toBe(text);
    expect(row?.responseBody.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(row?.responseTruncated).toBe(false);
  });

  it('stores nothing for a key and route that did not opt in, and usage rows are one per request either way', async () => {
    const ids: string[] = [];
    for (const key of [plain, capturing, plain]) {
      const { response } = await stack
        .client(key.plaintext)
        .chat.completions.create({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'count me' }] })
        .withResponse();
      ids.push(response.headers.get('x-request-id') as string);
    }
    const rows = await Promise.all(ids.map((id) => payloadOf(id)));
    expect(rows.map((row) => row !== null)).toEqual([false, true, false]);
    // The usage rows are what they were before capture existed: one per request, none extra or missing.
    expect(await stack.prisma.usageEvent.count({ where: { keyId: plain.id } })).toBe(2);
    expect(await stack.prisma.usageEvent.count({ where: { keyId: capturing.id } })).toBe(3);
  });

  it('starts capturing when an existing key is switched on (every router reloads)', async () => {
    const key = await keyWith(false);
    await stack.prisma.apiKey.update({ where: { id: key.id }, data: { capturePayloads: true } });
    const row = await firstCaptured(key.plaintext, SEEDED_MODEL, 'switched on');
    expect(row.responseBody).toContain('switched on');
  });

  it("stores the bodies of every key's requests to a route that opted in", async () => {
    const route = await stack.addRoute({
      publicModel: 'captured-chat',
      targets: [{ accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL }],
    });
    await stack.prisma.route.update({ where: { id: route.id }, data: { capturePayloads: true } });
    const row = await firstCaptured(plain.plaintext, 'captured-chat', 'by route');
    expect(JSON.parse(row.requestBody)).toMatchObject({ model: 'captured-chat' });
    expect(row.responseBody).toContain('by route');
  });
});

describe('payload capture cap', () => {
  let router: ExtraRouter;
  let key: { plaintext: string; id: string };

  beforeAll(async () => {
    router = await startExtraRouter(stack, { PAYLOAD_CAPTURE_MAX_BYTES: '1024' });
    // Each router learns of the key on its own (LISTEN/NOTIFY): wait for the one under test.
    key = await keyWith(true, router.url);
  });
  afterAll(async () => {
    await router?.stop();
  });

  it('keeps the first PAYLOAD_CAPTURE_MAX_BYTES of each body and flags both as truncated', async () => {
    const body = JSON.stringify({
      model: SEEDED_MODEL,
      stream: true,
      messages: [{ role: 'user', content: `long ${'word '.repeat(600)}` }],
    });
    const res = await fetch(`${router.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.plaintext}`, 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    const received = Buffer.from(await res.arrayBuffer());
    expect(received.length).toBeGreaterThan(1024);
    const row = await payloadOf(res.headers.get('x-request-id') as string, router.url);
    expect(row).toMatchObject({
      requestBody: body.slice(0, 1024),
      requestTruncated: true,
      responseBody: received.subarray(0, 1024).toString('utf8'),
      responseTruncated: true,
    });
  });
});

describe('payload retention', () => {
  it('the sweeper deletes payloads past PAYLOAD_RETENTION_DAYS and leaves newer ones and their usage rows', async () => {
    const now = Date.now();
    const day = 86_400_000;
    const stored = (requestId: string, age: number) => ({
      requestId,
      requestBody: '{}',
      requestTruncated: false,
      responseBody: '{}',
      responseTruncated: false,
      createdAt: new Date(now - age),
    });
    await stack.prisma.requestPayload.createMany({
      data: [stored('req_swept_1', 8 * day), stored('req_swept_2', 30 * day), stored('req_kept', 6 * day)],
    });
    const usageRows = await stack.prisma.usageEvent.count();
    const sweeper = startUsageRetention({
      databaseUrl: stack.databaseUrl,
      table: 'request_payloads',
      retentionDays: 7,
      intervalMs: 3_600_000,
      firstRunMs: 0,
      logger: createLogger('error'),
      now: () => now,
      random: () => 0,
    });
    try {
      await waitFor('the sweeper to run', async () =>
        (await stack.prisma.requestPayload.count({ where: { requestId: { startsWith: 'req_swept_' } } })) ===
        0
          ? true
          : null,
      );
    } finally {
      await sweeper.stop();
    }
    expect(await stack.prisma.requestPayload.findUnique({ where: { requestId: 'req_kept' } })).not.toBeNull();
    expect(await stack.prisma.usageEvent.count()).toBe(usageRows);
  });
});
