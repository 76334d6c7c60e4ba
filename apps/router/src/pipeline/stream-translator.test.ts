import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ProviderAdapter } from '@switchyard/core';
import fc from 'fast-check';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adapterFor } from '../providers/provider-registry';
import { Cancellation } from '../proxy/cancellation';
import { type RelayResult, relayStream } from '../proxy/relay-stream';
import { openAiChatSurface } from '../surfaces/openai-chat/openai-chat-surface';
import type { InboundRequest } from '../surfaces/surface';
import { streamTranslator } from './stream-translator';

const adapter = adapterFor('openai') as ProviderAdapter;

const chunk = (content: string) =>
  JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'up',
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  });
const usageChunk = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'up',
  choices: [],
  usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
});

/** An upstream stream as it arrives: a comment, two deltas (one split across reads), the usage chunk, [DONE]. */
const UPSTREAM = [
  ': keep-alive\n\n',
  `data: ${chunk('Hel')}\n\ndata: ${chunk('lo').slice(0, 10)}`,
  `${chunk('lo').slice(10)}\n\n`,
  `data: ${usageChunk}\n\ndata: [DONE]\n\n`,
];

function inbound(includeUsage: boolean): InboundRequest {
  const body = {
    model: 'm',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
  };
  const parsed = openAiChatSurface.parse(body, {});
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

let server: Server;
let url: string;
/** How the next request is relayed: the upstream's chunks, and the relay's set-up. */
interface Mode {
  translate: boolean;
  includeUsage: boolean;
  upstream: Buffer[];
  maxEventBytes: number;
}
const DEFAULTS = { upstream: UPSTREAM.map((text) => Buffer.from(text)), maxEventBytes: 64 * 1024 };
let mode: Mode = { translate: false, includeUsage: false, ...DEFAULTS };
let last: RelayResult | null = null;

beforeAll(async () => {
  server = createServer((_req, res) => {
    const request = inbound(mode.includeUsage);
    const body = Readable.from(mode.upstream) as unknown as Dispatcher.ResponseData['body'];
    void relayStream(res, body, {
      adapter,
      translator: mode.translate
        ? streamTranslator(adapter, openAiChatSurface, request, { model: 'up', created: 1, fallbackId: 'x' })
        : null,
      forwardUsageChunk: request.includeUsage,
      startedAt: performance.now(),
      begin: () => res.writeHead(200, { 'content-type': 'text/event-stream' }),
      firstByteMs: 5_000,
      idleMs: 5_000,
      maxEventBytes: mode.maxEventBytes,
      cancel: new Cancellation(),
    }).then((result) => {
      last = result;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function relay(
  translate: boolean,
  includeUsage: boolean,
  upstream: Partial<Pick<Mode, 'upstream' | 'maxEventBytes'>> = {},
): Promise<string> {
  mode = { translate, includeUsage, ...DEFAULTS, ...upstream };
  last = null;
  return (await fetch(url)).text();
}

describe('the relay, passing through or translating', () => {
  it('passes the upstream events through as bytes, dropping only the usage chunk not asked for', async () => {
    expect(await relay(false, false)).toBe(
      `: keep-alive\n\ndata: ${chunk('Hel')}\n\ndata: ${chunk('lo')}\n\ndata: [DONE]\n\n`,
    );
    expect(last?.completed).toBe(true);
    expect(last?.usage?.inputTokens).toBe(7);
  });

  it('translates each event through the decoder and encoder: upstream framing dropped, end framing the surface’s', async () => {
    expect(await relay(true, false)).toBe(
      `data: ${chunk('Hel')}\n\ndata: ${chunk('lo')}\n\ndata: [DONE]\n\n`,
    );
    // Usage is read from the native events either way.
    expect(last?.completed).toBe(true);
    expect(last?.usage?.inputTokens).toBe(7);
    expect(last?.usage?.outputTokens).toBe(2);
  });

  it('lets the surface’s encoder decide on the usage chunk when translating', async () => {
    expect(await relay(true, true)).toBe(
      `data: ${chunk('Hel')}\n\ndata: ${chunk('lo')}\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`,
    );
  });

  it('caps a translated event at its UTF-8 bytes, as the passthrough relay does', async () => {
    const first = `data: ${chunk('ok')}\n\n`;
    // 600 check marks: ~750 UTF-16 code units in all, under the cap; ~1,950 bytes, over it. No terminator yet.
    const long = `data: ${chunk('✓'.repeat(600))}`;
    const upstream = {
      upstream: [Buffer.from(first + long), Buffer.from(`\n\ndata: ${usageChunk}\n\ndata: [DONE]\n\n`)],
      maxEventBytes: 1_000,
    };
    expect(long.length).toBeLessThan(1_000);
    expect(Buffer.byteLength(long)).toBeGreaterThan(1_000);
    expect(await relay(false, false, upstream)).toBe(first);
    expect(last).toMatchObject({ tooLarge: true, completed: false });
    expect(await relay(true, false, upstream)).toBe(first);
    expect(last).toMatchObject({ tooLarge: true, completed: false });
  });

  it('breaks a translated stream exactly where the passthrough relay breaks it, whatever the text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: fc.constantFrom('a', 'é', '—', '✓', '中', '😀'), minLength: 30, maxLength: 200 }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.integer({ min: 150, max: 600 }),
        async (contents, cuts, maxEventBytes) => {
          const text = `${contents.map((content) => `data: ${chunk(content)}\n\n`).join('')}data: [DONE]\n\n`;
          // Cut between characters (one cut inside a character is counted a chunk later by the decoder).
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))]
            .filter((c) => c > 0 && c < text.length && !/[\udc00-\udfff]/.test(text.charAt(c)))
            .sort((a, b) => a - b);
          const pieces = [0, ...at].map((from, i) => Buffer.from(text.slice(from, at[i] ?? text.length)));
          const passed = await relay(false, false, { upstream: pieces, maxEventBytes });
          const passthrough = last;
          const translated = await relay(true, false, { upstream: pieces, maxEventBytes });
          expect(last?.tooLarge).toBe(passthrough?.tooLarge);
          expect(last?.completed).toBe(passthrough?.completed);
          // Same events out: here the translation of an OpenAI chunk is that chunk.
          expect(translated).toBe(passed);
        },
      ),
      { numRuns: 60 },
    );
  });
});
