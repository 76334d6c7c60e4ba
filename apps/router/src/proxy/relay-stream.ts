import type { ServerResponse } from 'node:http';
import {
  isSseEvent,
  isUsageReportComplete,
  type ProviderAdapter,
  SseEventSplitter,
  sseEventData,
  type UsageReport,
} from '@switchyard/core';
import type { Dispatcher } from 'undici';

export interface RelayResult {
  /** The last usage the stream reported, as reported. */
  usage: UsageReport | null;
  /**
   * Data of the events relayed before usage arrived, kept (not parsed) so the generated text can be read
   * when the upstream never reports usage (or reports it incompletely); emptied by a complete report.
   */
  contentEvents: string[];
  /** ms from the start of the request to the first event written to the client; null if none was. */
  firstByteAt: number | null;
  /** The upstream ended cleanly with its end-of-stream sentinel. */
  completed: boolean;
  /** The stream broke (error, early end, idle or first-token timeout); see firstByteAt for whether it showed. */
  interrupted: boolean;
  /** The break was a timeout (first token or idle gap) rather than a reset or early end. */
  timedOut: boolean;
  /** Before its first event the upstream sent something that is not SSE; nothing of it was relayed. */
  notSse: boolean;
}

export interface RelayOptions {
  adapter: ProviderAdapter;
  /** Forward the usage-only chunk the gateway asked for (only when the client asked for it too). */
  forwardUsageChunk: boolean;
  /** performance.now() when the client request arrived. */
  startedAt: number;
  /**
   * Called once, right before the first event is written: writes the response head. Until then nothing has
   * reached the client, so a stream that fails before its first event can still fail over.
   */
  begin: () => void;
  /** Longest wait for the first event, ms; the stream counts as timed out after it. */
  firstByteMs: number;
}

/**
 * Relays an upstream SSE stream event by event as it arrives. Events are parsed only to read usage; the
 * usage-only chunk is dropped unless asked for. The gap between later events is bounded by the upstream
 * request's body timeout.
 */
export async function relayStream(
  res: ServerResponse,
  body: Dispatcher.ResponseData['body'],
  options: RelayOptions,
): Promise<RelayResult> {
  const { adapter, forwardUsageChunk, startedAt } = options;
  const splitter = new SseEventSplitter();
  const decoder = new TextDecoder();
  const result: RelayResult = {
    usage: null,
    contentEvents: [],
    firstByteAt: null,
    completed: false,
    interrupted: false,
    timedOut: false,
    notSse: false,
  };
  let firstByteTimer: NodeJS.Timeout | null = setTimeout(() => {
    result.timedOut = true;
    body.destroy();
  }, options.firstByteMs);
  try {
    for await (const chunk of body) {
      let out = '';
      for (const event of splitter.push(decoder.decode(chunk as Buffer, { stream: true }))) {
        if (result.firstByteAt === null && !isSseEvent(event)) {
          result.notSse = true;
          break;
        }
        const data = sseEventData(event);
        if (data !== null) {
          const info = adapter.readStreamEvent(data);
          if (info.usage) {
            result.usage = info.usage;
            if (isUsageReportComplete(info.usage)) result.contentEvents.length = 0;
          } else if (result.usage === null && !info.done) {
            result.contentEvents.push(data);
          }
          if (info.done) result.completed = true;
          if (info.usageOnly && !forwardUsageChunk) continue;
        }
        out += event;
      }
      if (result.notSse) break;
      if (out.length === 0) continue;
      if (result.firstByteAt === null) {
        if (firstByteTimer) clearTimeout(firstByteTimer);
        firstByteTimer = null;
        if (res.destroyed) break;
        options.begin();
        result.firstByteAt = performance.now() - startedAt;
      }
      if (!res.write(out)) await drained(res);
      if (res.destroyed) break;
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'BodyTimeoutError') result.timedOut = true;
    result.interrupted = !res.destroyed;
  } finally {
    if (firstByteTimer) clearTimeout(firstByteTimer);
  }
  // An answer with no event terminator at all (an HTML page without blank lines) is no stream either.
  if (result.firstByteAt === null && !result.notSse && !isSseEvent(splitter.rest())) result.notSse = true;
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
