import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider';

const BODY = { model: 'mock-gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

let mock: MockProvider;

beforeAll(async () => {
  mock = await startMockProvider();
});
afterAll(() => mock.close());

function post(body: unknown, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
}

/** Reads `res` until `enough` bytes came (then cancels) or it ends; returns the bytes read as text. */
async function readUpTo(
  res: Response,
  enough: number,
): Promise<{ text: string; bytes: number; ended: boolean }> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { text, bytes, ended: true };
    bytes += value.length;
    if (text.length < 4096) text += decoder.decode(value, { stream: true });
    if (bytes >= enough) {
      await reader.cancel();
      return { text, bytes, ended: false };
    }
  }
}

describe('hostile upstream faults', () => {
  it('hugeBodyMb: a valid chat.completion of exactly N MiB with a Content-Length', async () => {
    const res = await post(BODY, { 'x-mock-huge-body-mb': '3' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(3 * 1024 * 1024));
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(3 * 1024 * 1024);
    const body = JSON.parse(text) as { object: string; choices: { message: { content: string } }[] };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.content).toMatch(/^x+$/);
  });

  it('endlessStream: chunk events well past any reply, never [DONE]', async () => {
    const res = await post({ ...BODY, stream: true }, { 'x-mock-endless-stream': '1' });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const read = await readUpTo(res, 4 * 1024 * 1024);
    expect(read.ended).toBe(false);
    expect(read.bytes).toBeGreaterThanOrEqual(4 * 1024 * 1024);
    expect(read.text.startsWith('data: {"id":"chatcmpl-mock')).toBe(true);
    expect(read.text).toContain('"delta":{"content":" more"}');
    expect(read.text).not.toContain('[DONE]');
  });

  it('unterminatedSse: data lines forever without the blank line that ends an event', async () => {
    const res = await post({ ...BODY, stream: true }, { 'x-mock-unterminated-sse': 'true' });
    const read = await readUpTo(res, 2 * 1024 * 1024);
    expect(read.ended).toBe(false);
    expect(read.text.startsWith('data: {')).toBe(true);
    expect(read.text).not.toContain('\n\n');
  });

  it('the instance config and the headers validate the new faults', async () => {
    expect(() => mock.setFaults({ hugeBodyMb: 0 })).toThrow(
      'hugeBodyMb: expected an integer between 1 and 4096',
    );
    const res = await post(BODY, { 'x-mock-endless-stream': 'maybe' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('mock_invalid_header');
  });
});
