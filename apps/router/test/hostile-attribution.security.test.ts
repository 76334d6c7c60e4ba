import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRAFFIC_CLASSES } from '@switchyard/core';
import { generateApiKey, newId, serializeUsageEvent, usageRowObject } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awaitUsageRow, SEEDED_MODEL, type Stack, startStack, waitFor } from './stack';

// Every client-controlled string that can reach a usage row, fuzzed through the official SDK against a real
// router and PostgreSQL. Whatever a client sends, each request it makes ends up as exactly one usage row (or, at
// worst, one dead letter), the writer keeps writing (nothing spills), and a value the gateway cannot store is a
// 400 naming its field before any upstream is called.

let stack: Stack;
let taggedKey: string;

beforeAll(async () => {
  stack = await startStack();
  // A key whose tags came from older data, before the admin API capped them: long, and many.
  const key = generateApiKey();
  await stack.prisma.apiKey.create({
    data: {
      id: newId('key'),
      name: 'old tags',
      digest: key.digest,
      prefix: key.prefix,
      tags: Array.from({ length: 40 }, (_, i) => `${i}-${'ü'.repeat(300)}`),
    },
  });
  taggedKey = key.plaintext;
  await waitFor('the router to know the key', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${taggedKey}` },
    });
    return res.status === 200;
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const METADATA_HEADER = 'x-switchyard-metadata';
const TRAFFIC_CLASS_HEADER = 'x-switchyard-traffic-class';

/** Characters that broke or may break storage, JSON or logs, mixed into ordinary text. */
const hostileUnit = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '\u0000',
      '\ud800',
      '\udbff',
      '\udc00',
      '\udfff',
      '\u001b',
      '\u007f',
      '\u2028',
      '\ufeff',
      '\ufffd',
      '"',
      '\\',
      '\\u0000',
      '{',
      '😀',
      'é',
    ),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const hostileString = fc.oneof(
  fc.string({ unit: hostileUnit, maxLength: 40 }),
  fc.string({ unit: hostileUnit, minLength: 240, maxLength: 280 }),
  fc.json({ maxDepth: 2 }),
  fc.constantFrom('a'.repeat(6_000), '€'.repeat(3_000), '\u0000'.repeat(3), 'x\udc00y'),
);
/** Header values a client can send at all (fetch refuses control characters and DEL, and sends only latin1). */
const headerString = fc
  .string({
    unit: fc.oneof(
      fc.constantFrom('\t', ' ', '"', '\\', '{', '\u00ff'),
      fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
    ),
    maxLength: 60,
  })
  .map((value) => [...value].map((c) => ((c < ' ' && c !== '\t') || c === '\u007f' ? '?' : c)).join(''));

/** What the gateway must refuse to store: NUL, unpaired surrogates (UTF-8 cannot carry them), over `max`. */
function unstorable(value: string, max: number): boolean {
  return (
    value.length > max || value.includes('\u0000') || Buffer.from(value, 'utf8').toString('utf8') !== value
  );
}

/** JSON with every non-ASCII character escaped: what a careful client puts in a header. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

interface Sent {
  status: number;
  param: string | null;
  code: string | null;
}

async function send(
  client: OpenAI,
  body: { model: string; user?: string },
  headers: Record<string, string> = {},
): Promise<Sent> {
  try {
    await client.chat.completions.create(
      { ...body, messages: [{ role: 'user', content: 'hostile' }] },
      { headers },
    );
    return { status: 200, param: null, code: null };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError) || error.status === undefined) throw error;
    return {
      status: error.status,
      param: error.param ?? null,
      code: typeof error.code === 'string' ? error.code : null,
    };
  }
}

async function storedTotal(): Promise<{ rows: number; deadLetters: number }> {
  return {
    rows: await stack.prisma.usageEvent.count(),
    deadLetters: await stack.prisma.usageDeadLetter.count(),
  };
}

describe('hostile strings in every attributable field', () => {
  it('each request becomes one row or dead letter, unstorable input is a 400 naming its field, the writer keeps draining', async () => {
    const clients: [OpenAI, OpenAI] = [
      stack.client(stack.apiKey, { maxRetries: 0 }),
      stack.client(taggedKey, { maxRetries: 0 }),
    ];
    const before = await storedTotal();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.record({
          model: hostileString,
          user: hostileString,
          metadata: fc.dictionary(hostileString, hostileString, { minKeys: 1, maxKeys: 3 }),
          trafficClass: fc.oneof(headerString, fc.constantFrom(...TRAFFIC_CLASSES, ' Agent ', '')),
          requestId: headerString,
          tagged: fc.boolean(),
        }),
        async ({ model, user, metadata, trafficClass, requestId, tagged }) => {
          const client = clients[tagged ? 1 : 0];

          const byModel = await send(client, { model });
          sent++;
          if (model.length === 0 || unstorable(model, 256)) {
            expect(byModel).toMatchObject({ status: 400, param: 'model' });
          } else if (model !== SEEDED_MODEL) {
            expect(byModel).toMatchObject({ status: 404, code: 'model_not_found' });
          }

          const byUser = await send(client, { model: SEEDED_MODEL, user });
          sent++;
          expect(byUser).toMatchObject(
            unstorable(user, 256) ? { status: 400, param: 'user' } : { status: 200 },
          );

          // Over Node's 16 KiB of headers the HTTP server answers 431 before any key is read (no usage row is
          // due, as for an unauthenticated request): such headers are cut to a size the router does see.
          const header = asciiJson(metadata).slice(0, 12_000);
          const byMetadata = await send(client, { model: SEEDED_MODEL }, { [METADATA_HEADER]: header });
          sent++;
          const badMetadata =
            header.length > 2_048 ||
            Object.entries(metadata).some(([k, v]) => unstorable(k, 2_048) || unstorable(v, 2_048));
          expect(byMetadata).toMatchObject(
            badMetadata ? { status: 400, param: METADATA_HEADER } : { status: 200 },
          );

          // Headers the router does not store (x-request-id is always its own) or stores only as a closed set.
          const byHeaders = await send(
            client,
            { model: SEEDED_MODEL },
            { [TRAFFIC_CLASS_HEADER]: trafficClass, 'x-request-id': requestId },
          );
          sent++;
          const cls = trafficClass.trim().toLowerCase();
          const knownClass = cls === '' || (TRAFFIC_CLASSES as readonly string[]).includes(cls);
          expect(byHeaders).toMatchObject(
            knownClass ? { status: 200 } : { status: 400, param: TRAFFIC_CLASS_HEADER },
          );
        },
      ),
      { numRuns: 60 },
    );

    // Every request sent is accounted for, once, and nothing is waiting on disk for a database that refuses it.
    const settled = await waitFor(
      `${sent} new usage rows and dead letters`,
      async () => {
        const now = await storedTotal();
        return now.rows - before.rows + now.deadLetters - before.deadLetters === sent ? now : null;
      },
      { timeoutMs: 20_000 },
    );
    expect(settled.rows - before.rows + settled.deadLetters - before.deadLetters).toBe(sent);
    const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as {
      usageSpilled: number;
      usageAccepting: boolean;
    };
    expect(ready).toMatchObject({ usageSpilled: 0, usageAccepting: true });

    // And the writer is still draining: an ordinary request afterwards is stored.
    const { response } = await clients[0].chat.completions
      .create({ model: SEEDED_MODEL, messages: [{ role: 'user', content: 'still counting?' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    await awaitUsageRow(stack, requestId);
  }, 120_000);

  it('a spill left by an older router holding a row PostgreSQL refuses: the restart replays it, parks that row, stores the rest', async () => {
    // What a router before the fix spilled (and replayed forever): rows as its serializer wrote them (objects keyed
    // by column, before rows were positional), one with NUL.
    const createdAt = Date.now();
    const good = ['req_oldspill_1', 'req_oldspill_2', 'req_oldspill_3'];
    const keyed = (requestId: string) =>
      usageRowObject(JSON.parse(serializeUsageEvent(buildUsageEvent({ requestId, createdAt }))));
    const row = (requestId: string) => JSON.stringify(keyed(requestId));
    const bad = JSON.stringify({ ...keyed('req_oldspill_bad'), end_user: 'a\u0000b' });
    const spillDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-old-spill-'));
    try {
      await writeFile(
        path.join(spillDir, 'usage-spill.ndjson'),
        `${[row(good[0] ?? ''), bad, ...good.slice(1).map(row)].join('\n')}\n`,
      );
      await stack.restartRouter({ USAGE_SPILL_DIR: spillDir });
      await waitFor(
        'the spill to be replayed',
        async () =>
          (await stack.prisma.usageEvent.count({ where: { requestId: { in: good } } })) === 3 &&
          (await stack.prisma.usageDeadLetter.count({ where: { requestId: 'req_oldspill_bad' } })) === 1,
        { timeoutMs: 20_000 },
      );
      await waitFor('the spill file to be dropped', async () => {
        const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as { usageSpilled: number };
        return ready.usageSpilled === 0;
      });
      const letter = await stack.prisma.usageDeadLetter.findUniqueOrThrow({
        where: { requestId: 'req_oldspill_bad' },
      });
      expect(letter.sqlState).toBe('22P05');
      expect(JSON.parse(letter.event)).toEqual(JSON.parse(bad));

      // Live events go straight to the database again.
      const { response } = await stack
        .client(stack.apiKey, { maxRetries: 0 })
        .chat.completions.create({
          model: SEEDED_MODEL,
          messages: [{ role: 'user', content: 'after the spill' }],
        })
        .withResponse();
      const requestId = response.headers.get('x-request-id') ?? '';
      await awaitUsageRow(stack, requestId);
    } finally {
      await rm(spillDir, { recursive: true, force: true });
    }
  }, 90_000);
});
