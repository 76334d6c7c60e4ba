import type { ServerResponse } from 'node:http';
import { type ProviderAdapter, SseEventSplitter, sseEventData, type TokenUsage } from '@switchyard/core';
import type { Dispatcher } from 'undici';

export interface RelayResult {
  usage: TokenUsage | null;
  /** ms from the start of the request to the first event written to the client. */
  firstByteAt: number | null;
  /** The upstream ended cleanly with its end-of-stream sentinel. */
  completed: boolean;
  /** The stream broke after bytes reached the client. */
  interrupted: boolean;
}

/**
 * Relays an upstream SSE stream event by event as it arrives. Events are parsed only to read usage;
 * the usage-only chunk the gateway asked for is dropped unless the caller asked for it too.
 */
export async function relayStream(
  res: ServerResponse,
  body: Dispatcher.ResponseData['body'],
  adapter: ProviderAdapter,
  forwardUsageChunk: boolean,
  startedAt: number,
): Promise<RelayResult> {
  const splitter = new SseEventSplitter();
  const decoder = new TextDecoder();
  const result: RelayResult = { usage: null, firstByteAt: null, completed: false, interrupted: false };
  try {
    for await (const chunk of body) {
      let out = '';
      for (const event of splitter.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        const data = sseEventData(event);
        if (data !== null) {
          const info = adapter.readStreamEvent(data);
          if (info.usage) result.usage = info.usage;
          if (info.done) result.completed = true;
          if (info.usageOnly && !forwardUsageChunk) continue;
        }
        out += event;
      }
      if (out.length === 0) continue;
      if (result.firstByteAt === null) result.firstByteAt = performance.now() - startedAt;
      if (!res.write(out)) await drained(res);
      if (res.destroyed) break;
    }
  } catch {
    result.interrupted = !res.destroyed;
  }
  if (!result.completed && !res.destroyed) result.interrupted = true;
  return result;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
