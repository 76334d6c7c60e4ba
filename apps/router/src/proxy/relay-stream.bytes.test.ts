import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ProviderAdapter } from '@switchyard/core';
import fc from 'fast-check';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTextTokens } from '../billing/token-estimator';
import { openAiCompatibleAdapter } from '../providers/openai/openai-adapter';
import { Cancellation } from './cancellation';
import { type RelayResult, relayStream } from './relay-stream';

/** One upstream stream: its bytes, cut into chunks at arbitrary byte positions, and how the relay is set up. */
interface Scenario {
  chunks: Buffer[];
  forwardUsageChunk: boolean;
  maxEventBytes: number;
  rewrite?: { event(text: string): string };
}

const adapter: ProviderAdapter = openAiCompatibleAdapter;
let scenario: Scenario = { chunks: [], forwardUsageChunk: false, maxEventBytes: 1 << 20 };
let relayed: RelayResult | null = null;
let relay: Server;
let relayOrigin = '';
const agent = new Agent();

beforeAll(async () => {
  relay = createServer(async (_req, res) => {
    // The upstream body as the relay reads it from undici: Buffers, here cut exactly where the scenario says.
    const body = Readable.from(scenario.chunks);
    relayed = await relayStream(res, body, {
      adapter,
      translator: null,
      rewrite: scenario.rewrite ?? null,
      forwardUsageChunk: scenario.forwardUsageChunk,
      startedAt: performance.now(),
      begin: () => res.writeHead(200, { 'content-type': 'text/event-stream' }),
      firstByteMs: 5_000,
      idleMs: 5_000,
      maxEventBytes: scenario.maxEventBytes,
      cancel: new Cancellation(),
    });
    res.end();
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  relayOrigin = `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await agent.close();
  await new Promise<void>((resolve) => relay.close(() => resolve()));
});

/** Relays `next` and returns the bytes the caller received. */
async function relayBytes(next: Scenario): Promise<Buffer> {
  scenario = next;
  relayed = null;
  const answer = await request(`${relayOrigin}/`, { method: 'POST', body: '{}', dispatcher: agent });
  return Buffer.from(await answer.body.arrayBuffer());
}

/** `bytes` cut at `cuts` (byte offsets, any order, duplicates and ends ignored). */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))]
    .filter((c) => c > 0 && c < bytes.length)
    .sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of [...at, bytes.length]) {
    chunks.push(bytes.subarray(from, c));
    from = c;
  }
  return chunks;
}

/** Text that takes every UTF-8 length: ASCII, Latin, em dash, CJK, emoji (4 bytes), combining marks. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('—', '😀', '👩‍💻', 'é', 'e\u0301', '中', '文', '\u2028', '\ufeff', ' ', 'a', '"', '\\'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 30,
});
/** Bytes of a comment line: anything but CR and LF, so also bytes that are not UTF-8 at all. */
const commentBytes = fc
  .uint8Array({ maxLength: 20 })
  .map((bytes) => Buffer.from(bytes.map((b) => (b === 10 || b === 13 ? 0xff : b))));

type Part = { kind: 'content'; text: string } | { kind: 'comment'; bytes: Buffer };
const part: fc.Arbitrary<Part> = fc.oneof(
  { weight: 4, arbitrary: text.map((t) => ({ kind: 'content' as const, text: t })) },
  { weight: 1, arbitrary: commentBytes.map((b) => ({ kind: 'comment' as const, bytes: b })) },
);

const stream = fc.record({
  parts: fc.array(part, { maxLength: 12 }),
  /** Per event, its line ending. */
  crlf: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  usage: fc.option(fc.record({ input: fc.nat(10_000), output: fc.nat(10_000) }), { nil: null }),
  forwardUsageChunk: fc.boolean(),
  cuts: fc.array(fc.nat(), { maxLength: 40 }),
});

describe('relayStream, same protocol', () => {
  it('relays exactly the upstream bytes (but the usage-only chunk not asked for), however they are cut', async () => {
    await fc.assert(
      fc.asyncProperty(stream, async ({ parts, crlf, usage, forwardUsageChunk, cuts }) => {
        const events: Buffer[] = [];
        const eol = () => (crlf[events.length % crlf.length] ? '\r\n' : '\n');
        for (const p of parts) {
          const nl = eol();
          if (p.kind === 'comment')
            events.push(Buffer.concat([Buffer.from(':'), p.bytes, Buffer.from(nl + nl)]));
          else {
            const chunk = {
              object: 'chat.completion.chunk',
              choices: [{ index: 0, delta: { content: p.text } }],
            };
            events.push(Buffer.from(`event: chunk${nl}data: ${JSON.stringify(chunk)}${nl}${nl}`));
          }
        }
        let usageEvent: Buffer | null = null;
        if (usage !== null) {
          const nl = eol();
          const body = {
            choices: [],
            usage: { prompt_tokens: usage.input, completion_tokens: usage.output },
          };
          usageEvent = Buffer.from(`data: ${JSON.stringify(body)}${nl}${nl}`);
          events.push(usageEvent);
        }
        const nl = eol();
        events.push(Buffer.from(`data: [DONE]${nl}${nl}`));
        const upstream = Buffer.concat(events);

        const received = await relayBytes({
          chunks: cut(upstream, cuts),
          forwardUsageChunk,
          maxEventBytes: 1 << 20,
        });

        const expected = Buffer.concat(events.filter((e) => forwardUsageChunk || e !== usageEvent));
        expect(received.equals(expected)).toBe(true);
        expect(relayed).toMatchObject({
          completed: true,
          interrupted: false,
          notSse: false,
          tooLarge: false,
        });
        if (usage === null) {
          expect(relayed?.usage).toBeNull();
          const generated = parts.map((p) => (p.kind === 'content' ? p.text : '')).join('');
          const tally = relayed?.text;
          expect(await tally?.tokens()).toBe(countTextTokens(generated));
          // What the tally folded is the text itself, decoded from the bytes whatever cut its characters.
          expect((tally as unknown as { text: string }).text).toBe(generated);
        } else expect(relayed?.usage).toMatchObject({ inputTokens: usage.input, outputTokens: usage.output });
      }),
      { numRuns: 150 },
    );
  });

  it('hands the rewriter each event as text, and writes what it returns as UTF-8', async () => {
    const event = (content: string) => `data: {"id":"resp_1","delta":"${content}"}\n\n`;
    const upstream = Buffer.from(`${event('naïve — 中文 😀')}${event('plain')}data: [DONE]\n\n`);
    const received = await relayBytes({
      // Cut inside the em dash and inside the emoji.
      chunks: cut(upstream, [38, 50]),
      forwardUsageChunk: false,
      maxEventBytes: 1 << 20,
      rewrite: { event: (text) => text.replace('resp_', 'resp_tag_').replace('ï', 'Ï') },
    });
    expect(received.toString('utf8')).toBe(
      `${event('naÏve — 中文 😀').replace('resp_', 'resp_tag_')}${event('plain').replace('resp_', 'resp_tag_')}data: [DONE]\n\n`,
    );
  });

  it('drops a UTF-8 byte-order mark before the first event, even one cut across chunks, as decoding did', async () => {
    const done = Buffer.from('data: [DONE]\n\n');
    for (const at of [1, 2, 3]) {
      const upstream = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), done]);
      const received = await relayBytes({
        chunks: cut(upstream, [at]),
        forwardUsageChunk: false,
        maxEventBytes: 1 << 20,
      });
      expect(received.toString('latin1')).toBe(done.toString('latin1'));
      expect(relayed).toMatchObject({ completed: true, notSse: false });
    }
  });

  it('caps an event at its bytes, not at its characters', async () => {
    const first = 'data: {"choices":[{"delta":{"content":"ok"}}]}\n\n';
    // 600 em dashes: 600 characters, 1,800 bytes, arriving without their terminator yet.
    const long = `data: {"choices":[{"delta":{"content":"${'—'.repeat(600)}"}}]}`;
    const received = await relayBytes({
      chunks: [Buffer.from(first + long), Buffer.from('\n\ndata: [DONE]\n\n')],
      forwardUsageChunk: false,
      maxEventBytes: 1_000,
    });
    expect(relayed).toMatchObject({ tooLarge: true, completed: false });
    expect(received.toString('utf8')).toBe(first);
  });
});
