import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PayloadCapture } from './payload-capture';

let server: Server | null = null;
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve));
  server = null;
});

/** Serves one request with `respond`, capturing with `maxBytes`; resolves with what the client got and the capture. */
async function exchange(
  request: Buffer,
  maxBytes: number,
  respond: (res: ServerResponse) => void,
): Promise<{ received: string; captured: ReturnType<PayloadCapture['payload']> }> {
  let capture: PayloadCapture | undefined;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const listening = createServer((req, res) => {
    req.resume();
    capture = PayloadCapture.attach(res, request, maxBytes);
    res.on('finish', finish);
    respond(res);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const { port } = listening.address() as AddressInfo;
  const received = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  await finished;
  if (capture === undefined) throw new Error('the server saw no request');
  return { received, captured: capture.payload() };
}

describe('PayloadCapture', () => {
  it('copies every byte a response writes (strings, buffers, end with a callback) while the client gets them all', async () => {
    const { received, captured } = await exchange(Buffer.from('{"q":1}'), 1024, (res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {"a":"héllo"}\n\n');
      res.write(Buffer.from('data: {"b":2}\n\n'));
      res.write('ZGF0YQ==', 'base64');
      res.end(() => {});
    });
    expect(received).toBe('data: {"a":"héllo"}\n\ndata: {"b":2}\n\ndata');
    expect(captured).toEqual({
      request: '{"q":1}',
      requestTruncated: false,
      response: received,
      responseTruncated: false,
    });
  });

  it('keeps the first maxBytes of each body and flags the cut; the client still gets everything', async () => {
    const request = Buffer.from(`{"content":"${'x'.repeat(3000)}"}`);
    const chunk = `data: ${'é'.repeat(100)}\n\n`; // 208 bytes, 108 UTF-16 units
    const { received, captured } = await exchange(request, 1024, (res) => {
      res.writeHead(200);
      for (let i = 0; i < 10; i++) res.write(chunk);
      res.end('tail');
    });
    expect(received).toBe(`${chunk.repeat(10)}tail`);
    expect(captured.requestTruncated).toBe(true);
    expect(captured.request).toBe(request.subarray(0, 1024).toString('utf8'));
    expect(captured.responseTruncated).toBe(true);
    expect(captured.response).toBe(Buffer.from(received).subarray(0, 1024).toString('utf8'));
  });

  it('flags nothing when a body is exactly maxBytes long', async () => {
    const { captured } = await exchange(Buffer.alloc(1024, 'r'), 1024, (res) => {
      res.end('s'.repeat(1024));
    });
    expect([captured.request.length, captured.requestTruncated]).toEqual([1024, false]);
    expect([captured.response.length, captured.responseTruncated]).toEqual([1024, false]);
  });
});
