import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ChatChunkBody } from '@switchyard/core';
import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamTranslator } from '../../pipeline/stream-translator';
import { Cancellation } from '../../proxy/cancellation';
import { type RelayResult, relayStream } from '../../proxy/relay-stream';
import { anthropicMessagesSurface } from '../../surfaces/anthropic-messages/anthropic-messages-surface';
import { openAiChatSurface } from '../../surfaces/openai-chat/openai-chat-surface';
import type { Surface } from '../../surfaces/surface';
import { anthropicAdapter } from './anthropic-adapter';

/** A recorded Anthropic stream: usage split between message_start (input) and message_delta (output, input null). */
const RECORDED = readFileSync(new URL('./__fixtures__/message-stream.chunks.txt', import.meta.url), 'utf8');

let server: Server;
let url: string;
let surface: Surface | null = null;
let last: RelayResult | null = null;

beforeAll(async () => {
  server = createServer((_req, res) => {
    // Cut in odd places, as a network would.
    const pieces: Buffer[] = [];
    for (let at = 0; at < RECORDED.length; at += 97) pieces.push(Buffer.from(RECORDED.slice(at, at + 97)));
    const body = Readable.from(pieces) as unknown as Dispatcher.ResponseData['body'];
    const parsed = openAiChatSurface.parse(
      {
        model: 'public',
        messages: [{ role: 'user', content: 'weather?' }],
        stream: true,
        stream_options: { include_usage: true },
      },
      {},
    );
    if (!parsed.ok) throw new Error(parsed.error.message);
    void relayStream(res, body, {
      adapter: anthropicAdapter,
      translator:
        surface === null
          ? null
          : streamTranslator(anthropicAdapter, surface, parsed.value, {
              model: 'm',
              created: 1,
              fallbackId: 'x',
            }),
      forwardUsageChunk: true,
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

async function relay(through: Surface | null): Promise<string> {
  surface = through;
  last = null;
  return (await fetch(url)).text();
}

describe('an Anthropic stream through the relay', () => {
  it('passes the events through as bytes and reads usage from message_start and message_delta together', async () => {
    expect(await relay(null)).toBe(RECORDED);
    expect(last?.completed).toBe(true);
    // 472 uncached + 128 cache reads from message_start; 89 output from message_delta, whose input is null.
    expect(last?.usage).toEqual({
      inputTokens: 600,
      outputTokens: 89,
      totalTokens: null,
      cachedInputTokens: 128,
      reasoningTokens: null,
      cacheWriteTokens: 0,
      malformed: false,
    });
  });

  it('translates it into OpenAI chat chunks for an OpenAI caller, usage read the same', async () => {
    const text = await relay(openAiChatSurface);
    const chunks = text
      .split('\n\n')
      .filter((event) => event.startsWith('data: {'))
      .map((event) => JSON.parse(event.slice(6)) as ChatChunkBody);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text.includes('event:')).toBe(false);
    const content = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
    expect(content).toBe("Okay, let's check the weather for San Francisco, CA:");
    const args = chunks
      .flatMap((c) => c.choices?.[0]?.delta?.tool_calls ?? [])
      .map((call) => call.function?.arguments ?? '')
      .join('');
    expect(JSON.parse(args)).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' });
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 600, completion_tokens: 89 },
    });
    expect(last?.usage?.inputTokens).toBe(600);
  });

  it('re-encodes it for an Anthropic caller through the canonical shape all the same', async () => {
    const text = await relay(anthropicMessagesSurface);
    expect(text.startsWith('event: message_start\n')).toBe(true);
    expect(text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });
});
