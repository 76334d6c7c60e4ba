import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ProviderAdapter } from '@switchyard/core';
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
let mode: { translate: boolean; includeUsage: boolean } = { translate: false, includeUsage: false };
let last: RelayResult | null = null;

beforeAll(async () => {
  server = createServer((_req, res) => {
    const request = inbound(mode.includeUsage);
    const body = Readable.from(
      UPSTREAM.map((text) => Buffer.from(text)),
    ) as unknown as Dispatcher.ResponseData['body'];
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
      maxEventBytes: 64 * 1024,
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

async function relay(translate: boolean, includeUsage: boolean): Promise<string> {
  mode = { translate, includeUsage };
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
});
