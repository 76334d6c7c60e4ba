import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { MockContext } from './mock-context';
import type { MockFaultSettings } from './mock-faults';
import { writeSseStream } from './sse-stream';

/**
 * Sends the SSE headers and writes `events` with the stream faults (`ttftMs`, `chunkGapMs`,
 * `dropAfterChunks`) applied, then `terminator` (`''` for protocols without a `[DONE]`). Shared by the
 * streaming routes other than chat completions, which keeps its own hand-tuned path. `errorEvent`: the
 * protocol's in-stream error event, sent in place of the rest of the stream under `errorEventAfterChunks`.
 */
export function writeEventStream(
  ctx: MockContext,
  res: ServerResponse,
  requestId: string,
  events: readonly string[],
  faults: MockFaultSettings,
  terminator: string,
  headers?: OutgoingHttpHeaders,
  errorEvent?: string,
): void {
  const errorAfter = errorEvent === undefined ? undefined : faults.errorEventAfterChunks;
  if (errorAfter !== undefined) {
    events = [...events.slice(0, errorAfter), errorEvent as string];
    terminator = '';
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-request-id': requestId,
    ...headers,
  });
  writeSseStream(
    res,
    events,
    {
      ttftMs: faults.ttftMs ?? 0,
      chunkGapMs: faults.chunkGapMs ?? 0,
      dropAfterChunks: faults.dropAfterChunks,
      terminator,
    },
    ctx.later,
    () => ctx.dropped.add(res),
  );
}
