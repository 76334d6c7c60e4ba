import type { ServerResponse } from 'node:http';
import type { CapturedPayload } from '@switchyard/core';

/**
 * A bounded copy of one request's bodies, for a key or route that opted in to payload capture: the request body
 * as read, and every byte the response writes (a unary answer, an error, or a stream's raw SSE), each cut at
 * `maxBytes`. Built only for opted-in requests, so every other request pays nothing: no wrapper, no buffer.
 * Headers are never copied (they carry the caller's key).
 */
export class PayloadCapture {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private truncated = false;

  private constructor(
    private readonly request: Buffer,
    private readonly maxBytes: number,
  ) {}

  /** Starts copying what `res` writes from now on (write and end of this one response object). */
  static attach(res: ServerResponse, request: Buffer, maxBytes: number): PayloadCapture {
    const capture = new PayloadCapture(request, maxBytes);
    const write = res.write;
    const end = res.end;
    res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      capture.add(chunk, rest[0]);
      return Reflect.apply(write, this, [chunk, ...rest]) as boolean;
    } as typeof res.write;
    res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
      if (typeof chunk !== 'function') capture.add(chunk, rest[0]);
      return Reflect.apply(end, this, [chunk, ...rest]) as ServerResponse;
    } as typeof res.end;
    return capture;
  }

  /** The bodies as the usage row's payload; the response as written so far. */
  payload(): CapturedPayload {
    return {
      request: this.request.subarray(0, this.maxBytes).toString('utf8'),
      requestTruncated: this.request.length > this.maxBytes,
      response: Buffer.concat(this.chunks, this.size).toString('utf8'),
      responseTruncated: this.truncated,
    };
  }

  private add(chunk: unknown, encoding: unknown): void {
    if (chunk === undefined || chunk === null) return;
    const room = this.maxBytes - this.size;
    if (room <= 0) {
      if (typeof chunk === 'string' ? chunk.length > 0 : (chunk as Uint8Array).byteLength > 0)
        this.truncated = true;
      return;
    }
    let bytes: Buffer;
    if (typeof chunk === 'string') {
      // A string longer than the room in UTF-16 units holds at least as many bytes: encode only what can fit.
      const head = chunk.length > room ? chunk.slice(0, room) : chunk;
      bytes = Buffer.from(head, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      if (head.length < chunk.length) this.truncated = true;
    } else if (chunk instanceof Uint8Array) {
      bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    } else return;
    if (bytes.length > room) {
      this.truncated = true;
      bytes = bytes.subarray(0, room);
    }
    // Copied: the caller may reuse its buffer once the write returns.
    this.chunks.push(Buffer.from(bytes));
    this.size += bytes.length;
  }
}
