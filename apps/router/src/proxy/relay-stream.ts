import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import {
  isSseEvent,
  isUsageReportComplete,
  type ProviderAdapter,
  SseEventSplitter,
  sseEventData,
  type UsageReport,
} from '@switchyard/core';
import { StreamTextTally } from '../billing/stream-text-tally';
import { textToWire, WIRE_BOM, wireOf, wireToText } from '../text/wire-text';
import type { Cancellation } from './cancellation';
import { clearSharedTimeout, type SharedTimeout, setSharedTimeout } from './shared-timeout';
import type { StreamBody } from './stream-request';

const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8');

/** Bytes relayed between forced turns of the event loop (a typical reply never reaches it). */
const YIELD_EVERY_BYTES = 64 * 1024;

export interface RelayResult {
  /** The last usage the stream reported, as reported. */
  usage: UsageReport | null;
  /**
   * The generated text relayed before a complete usage report arrived, tallied in bounded memory so the output
   * can be estimated when the upstream never reports usage (or reports it incompletely); cleared by a complete
   * report.
   */
  text: StreamTextTally;
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
  /** The break was one SSE event outgrowing UPSTREAM_MAX_SSE_EVENT_BYTES. */
  tooLarge: boolean;
  /** The upstream's own in-stream error event went to the caller as sent (fast path): it has its error. */
  upstreamErrorRelayed: boolean;
}

/**
 * Rewrites a stream into another protocol, one upstream SSE event at a time: the adapter's decoder to canonical
 * chunks, the surface's encoder to the caller's framing. Null on the fast path (same protocol: bytes pass).
 */
export interface StreamTranslator {
  /** The caller's SSE text for one upstream event's data; `done` when it is the upstream's end of stream. */
  event(data: string, done: boolean): string;
}

export interface RelayOptions {
  adapter: ProviderAdapter;
  /** Null to relay the upstream's events as they are; else how each becomes the caller's. */
  translator: StreamTranslator | null;
  /** Without a translator: rewrites each whole event as received (the surface's passthrough rewriter), if any. */
  rewrite?: { event(text: string): string } | null;
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
  /** Longest gap between two chunks of the upstream body, ms. */
  idleMs: number;
  /**
   * Longest single SSE event kept while it arrives, in UTF-8 bytes, with a translator or without; a longer one
   * breaks the stream.
   */
  maxEventBytes: number;
  /** The request's cancellation (client gone, deadline): ends the relay at once, even mid-backpressure. */
  cancel: Cancellation;
}

/**
 * Relays an upstream SSE stream event by event as it arrives. Events are parsed only to read usage (by the
 * adapter, from the native events); the usage-only chunk is dropped unless asked for. With a translator, each
 * event goes out as the translator writes it instead (usage still read from the native event). Memory is bounded whatever the upstream sends: one event at
 * most `maxEventBytes`, the text tally a few hundred KB. Time is bounded by node timers exact to the
 * millisecond: the first event within `firstByteMs`, gaps within `idleMs`, and the request's deadline (its
 * cancellation) even while the client is not reading.
 */
export async function relayStream(
  res: ServerResponse,
  body: StreamBody,
  options: RelayOptions,
): Promise<RelayResult> {
  const { adapter, translator, forwardUsageChunk, startedAt, cancel } = options;
  const rewrite = options.rewrite ?? null;
  // A protocol whose usage spans several events reads the stream as a whole; others read each event alone.
  const reader = adapter.createStreamEventReader?.();
  let usageComplete = false;
  // Wire strings are counted a character a byte; decoded text by its UTF-8 bytes.
  const splitter = new SseEventSplitter(options.maxEventBytes, translator === null ? null : utf8Length);
  // Without a translator the events go out as the bytes they came in: split as wire strings (see text/wire-text.ts),
  // written back as Latin-1, only their data decoded (for the adapter). A translator reads and writes text.
  const wire = translator === null;
  const decoder = wire ? null : new TextDecoder();
  /** Wire mode: the first bytes while they may still be a UTF-8 BOM (TextDecoder drops one; so does this). */
  let head: string | null = wire ? '' : null;
  const encoding: BufferEncoding = wire ? 'latin1' : 'utf8';
  const result: RelayResult = {
    usage: null,
    text: new StreamTextTally(adapter, wire),
    firstByteAt: null,
    completed: false,
    interrupted: false,
    timedOut: false,
    notSse: false,
    tooLarge: false,
    upstreamErrorRelayed: false,
  };
  // On the shared per-duration timers (./shared-timeout): nearly every stream's first byte and next chunk come in time.
  let firstByteTimer: SharedTimeout | null = setSharedTimeout(() => {
    result.timedOut = true;
    body.destroy();
  }, options.firstByteMs);
  // The idle timer is re-armed only when it fires (for what is left since the last chunk), so a chunk costs
  // one clock read, not a timer reset.
  let lastChunkAt = performance.now();
  let idleTimer: SharedTimeout | null = null;
  const checkIdle = () => {
    if (options.idleMs - (performance.now() - lastChunkAt) > 1) {
      idleTimer = setSharedTimeout(checkIdle, options.idleMs, lastChunkAt);
    } else {
      idleTimer = null;
      result.timedOut = true;
      body.destroy();
    }
  };
  idleTimer = setSharedTimeout(checkIdle, options.idleMs, lastChunkAt);
  let waitingForDrain: (() => void) | null = null;
  let sinceYield = 0;
  /** The client was gone when the first event was due: nothing was written. */
  let gone = false;
  /** The client left (or the request was cancelled) while the rest of the first chunk waited its turn. */
  let left = false;
  /** Writes the head before the first event; false (and `gone`) when the client already left. */
  const begin = (): boolean => {
    if (firstByteTimer) clearSharedTimeout(firstByteTimer);
    firstByteTimer = null;
    if (res.destroyed) {
      gone = true;
      return false;
    }
    options.begin();
    result.firstByteAt = performance.now() - startedAt;
    return true;
  };
  const onCancel = () => {
    body.destroy();
    waitingForDrain?.();
  };
  cancel.onAbort(onCancel);
  try {
    if (cancel.aborted) body.destroy();
    for await (const chunk of body) {
      lastChunkAt = performance.now();
      // Chunks already buffered are handed over in one chain of microtasks; past YIELD_EVERY_BYTES without
      // a turn of the event loop, take one, so a firehose upstream cannot starve other requests (/healthz).
      sinceYield += (chunk as Buffer).length;
      if (sinceYield >= YIELD_EVERY_BYTES) {
        sinceYield = 0;
        await nextTurn();
      }
      let received =
        decoder === null ? wireOf(chunk as Buffer) : decoder.decode(chunk as Buffer, { stream: true });
      if (head !== null) {
        received = head + received;
        if (received.length < WIRE_BOM.length && WIRE_BOM.startsWith(received)) {
          head = received;
          continue;
        }
        head = null;
        if (received.startsWith(WIRE_BOM)) received = received.slice(WIRE_BOM.length);
      }
      const events = splitter.push(received);
      // Until an event is out, a chunk is relayed only if all its events are SSE: checked before the first
      // is written, since that one now goes out before the rest of its chunk is read.
      if (result.firstByteAt === null && !events.every(isSseEvent)) {
        result.notSse = true;
        break;
      }
      let out = '';
      for (const event of events) {
        if (result.firstByteAt === null && out.length > 0) {
          // The first event goes out with the head as soon as it is whole (stream TTFB), not after the rest of
          // its chunk (often the whole reply) is read; that rest follows in a write of its own.
          if (!begin()) break;
          res.write(out, encoding);
          sendNow(res);
          out = '';
          // Then the rest waits one timer turn, the event loop asleep: on a shared host the process reading this
          // stream (woken by that write, often on this core) takes its first event now, not after the rest of the
          // burst is relayed and settled. Costs that rest ~1 ms, only when it came in the first event's chunk.
          await sleep(0);
          if (res.destroyed || cancel.aborted) {
            left = true;
            break;
          }
        }
        const raw = sseEventData(event);
        if (raw !== null) {
          const data = wire ? wireToText(raw) : raw;
          const info = reader === undefined ? adapter.readStreamEvent(data) : reader(data);
          if (info.usage) {
            result.usage = info.usage;
            // A partial report (Anthropic's message_start: input only) leaves the text to tally.
            usageComplete = isUsageReportComplete(info.usage);
            if (usageComplete) result.text.clear();
          } else if (!usageComplete && !info.done) {
            result.text.add(raw);
          }
          if (info.done) result.completed = true;
          if (translator !== null) {
            out += translator.event(data, info.done);
            continue;
          }
          if (info.usageOnly && !forwardUsageChunk) continue;
          if (info.error === true) result.upstreamErrorRelayed = true;
        } else if (translator !== null) continue; // comments and bare `event:` lines are the upstream's framing
        out += rewrite === null ? event : rewriteWire(rewrite, event);
      }
      if (gone || left) break;
      if (splitter.tooLarge) {
        // What was complete in this chunk still goes out; the oversized event and the rest do not.
        result.tooLarge = true;
        body.destroy();
      }
      if (out.length > 0) {
        const first = result.firstByteAt === null;
        if (first && !begin()) break;
        const writable = res.write(out, encoding);
        if (first) sendNow(res);
        if (!writable) {
          await new Promise<void>((resolve) => {
            waitingForDrain = resolve;
            drained(res, resolve);
          });
          waitingForDrain = null;
        }
        if (res.destroyed || cancel.aborted) break;
      }
      if (result.tooLarge) break;
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'BodyTimeoutError') result.timedOut = true;
    result.interrupted = !res.destroyed;
  } finally {
    if (firstByteTimer) clearSharedTimeout(firstByteTimer);
    if (idleTimer) clearSharedTimeout(idleTimer);
    cancel.offAbort(onCancel);
  }
  // An answer with no event terminator at all (an HTML page without blank lines) is no stream either.
  if (result.firstByteAt === null && !result.notSse && !result.tooLarge && !isSseEvent(splitter.rest()))
    result.notSse = true;
  if (!result.completed && !res.destroyed) result.interrupted = true;
  return result;
}

/** `rewrite` (which reads and writes text) applied to one event in wire form; ASCII is the same in both. */
function rewriteWire(rewrite: { event(text: string): string }, event: string): string {
  const text = wireToText(event);
  return text === event ? rewrite.event(event) : textToWire(rewrite.event(text));
}

/**
 * Hands what `res` has written to the kernel now. node:http corks a response's socket on each write until the
 * next tick, so without this the head and first event would wait behind all the synchronous work after them
 * (the rest of a chunk that holds the whole reply, the usage read, the settlement) — time on the stream's TTFB.
 * The tick's own uncork then finds the socket uncorked and does nothing.
 */
function sendNow(res: ServerResponse): void {
  const socket = res.socket;
  if (socket !== null && socket.writableCorked > 0) socket.uncork();
}

/** Calls `done` once `res` drains or closes. */
function drained(res: ServerResponse, done: () => void): void {
  const finish = () => {
    res.off('drain', finish);
    res.off('close', finish);
    done();
  };
  res.on('drain', finish);
  res.on('close', finish);
}
