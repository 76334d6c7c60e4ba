import type { ServerResponse } from 'node:http';
import { type CompletionMeta, SYSTEM_FINGERPRINT } from './chat-completion';
import { isGone } from './http-io';

/** Padding and repeated events go out in slices of about this size. */
const SLICE_BYTES = 64 * 1024;
/** Writes per event-loop turn, so one hostile answer never starves the mock's other connections. */
const WRITES_PER_TURN = 16;
const MIB = 1024 * 1024;

/**
 * Writes `next()`'s chunks at the reader's pace (waits for `drain` when the socket is full), yielding to the
 * event loop between bursts; ends the response when `next` returns null, stops when the client is gone.
 * Nothing is produced ahead of the reader, so a gigabyte answer costs the mock a few slices of memory.
 */
function pump(res: ServerResponse, next: () => Buffer | null): void {
  const step = (): void => {
    for (let i = 0; i < WRITES_PER_TURN; i++) {
      if (isGone(res)) return;
      const chunk = next();
      if (chunk === null) {
        res.end();
        return;
      }
      if (!res.write(chunk)) {
        res.once('drain', step);
        return;
      }
    }
    setImmediate(step);
  };
  step();
}

/**
 * `hugeBodyMb`: a valid 200 `chat.completion` of exactly `mb` MiB (its content padded with `x`), with a
 * Content-Length, as a hostile or broken upstream could send to exhaust a gateway that buffers answers.
 */
export function writeHugeCompletion(
  res: ServerResponse,
  meta: CompletionMeta,
  mb: number,
  requestId: string,
): void {
  const head = Buffer.from(
    `{"id":"${meta.id}","object":"chat.completion","created":${meta.created},"model":${JSON.stringify(meta.model)},"choices":[{"index":0,"message":{"role":"assistant","content":"`,
  );
  const tail = Buffer.from(
    `"},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2},"system_fingerprint":"${SYSTEM_FINGERPRINT}"}`,
  );
  const total = mb * MIB;
  let padding = total - head.length - tail.length;
  const slice = Buffer.alloc(SLICE_BYTES, 'x');
  let stage: 'head' | 'pad' | 'tail' | 'done' = 'head';
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': String(total),
    'x-request-id': requestId,
  });
  pump(res, () => {
    if (stage === 'head') {
      stage = 'pad';
      return head;
    }
    if (stage === 'pad') {
      if (padding > 0) {
        const n = Math.min(padding, SLICE_BYTES);
        padding -= n;
        return n === SLICE_BYTES ? slice : slice.subarray(0, n);
      }
      stage = 'tail';
    }
    if (stage === 'tail') {
      stage = 'done';
      return tail;
    }
    return null;
  });
}

/** A slice made of `unit` repeated (a whole number of times, about SLICE_BYTES long). */
function repeated(unit: string): Buffer {
  return Buffer.from(unit.repeat(Math.max(1, Math.floor(SLICE_BYTES / Buffer.byteLength(unit)))));
}

/**
 * `endlessStream`: well-formed `chat.completion.chunk` events, one word each, forever: no finish_reason, no
 * usage, no `[DONE]`. The SSE headers must already be set on `res`.
 */
export function writeEndlessStream(res: ServerResponse, meta: CompletionMeta): void {
  const slice = repeated(
    `data: {"id":"${meta.id}","object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"choices":[{"index":0,"delta":{"content":" more"},"logprobs":null,"finish_reason":null}]}\n\n`,
  );
  pump(res, () => slice);
}

/**
 * `unterminatedSse`: `data:` lines separated by single newlines, forever, so the SSE event they form never
 * ends (a parser that rescans its buffer per chunk goes quadratic; one that keeps the event grows without
 * bound). The SSE headers must already be set on `res`.
 */
export function writeUnterminatedSse(res: ServerResponse, meta: CompletionMeta): void {
  const slice = repeated(`data: {"id":"${meta.id}","choices":[{"index":0,"delta":{"content":" more"}}]}\n`);
  pump(res, () => slice);
}
