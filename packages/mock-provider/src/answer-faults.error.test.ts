import { createServer, type Server } from 'node:http';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockProvider, startMockProvider } from './start-mock-provider';

// The faults of an upstream that answers, but not with what it should (issue 12 C, D4, D5).

const BODY = { model: 'mock-gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }] };
const KEY = 'sk-echo-0123456789-secret';

let mock: MockProvider;
let client: OpenAI;

beforeAll(async () => {
  mock = await startMockProvider();
  client = new OpenAI({ apiKey: KEY, baseURL: mock.url, maxRetries: 0 });
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.setFaults({});
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}`, ...headers },
    body: JSON.stringify(body),
    redirect: 'manual',
  });
}

describe('invalidBody and contentType', () => {
  it('answers 200 with an HTML page under a JSON content type', async () => {
    const res = await post(BODY, { 'x-mock-invalid-body': '1' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const text = await res.text();
    expect(text).toMatch(/^<html>/);
    expect(() => JSON.parse(text)).toThrow();
  });

  it('streams an HTML page with blank lines under text/event-stream', async () => {
    mock.setFaults({ invalidBody: true });
    const res = await post({ ...BODY, stream: true });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text).toContain('\n\n');
    expect(text).not.toContain('data:');
  });

  it('sends a valid stream under another content type', async () => {
    const res = await post({ ...BODY, stream: true }, { 'x-mock-content-type': 'text/html' });
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toMatch(/^data: \{.*\[DONE\]\n\n$/s);
  });
});

describe('redirectTo', () => {
  let elsewhere: Server;
  let hits = 0;
  beforeAll(async () => {
    elsewhere = createServer((_req, res) => {
      hits++;
      res.end('{}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));

  it('answers 302 with the Location and does not call it', async () => {
    const address = elsewhere.address();
    const target = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/chat`;
    const res = await post(BODY, { 'x-mock-redirect-to': target });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(target);
    expect(hits).toBe(0);
  });

  it('refuses a redirect that is not an http(s) URL', () => {
    expect(() => mock.setFaults({ redirectTo: 'ftp://x' })).toThrow(/redirectTo: expected an http\(s\) URL/);
  });
});

describe('echoCredential', () => {
  it('echoes the presented key as sent, URL-encoded and masked, in message, param and code', async () => {
    const error = (await client.chat.completions
      .create(BODY, { headers: { 'x-mock-echo-credential': 'true' } })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain(KEY);
    expect(error.message).toContain(encodeURIComponent(KEY));
    expect(error.message).toContain('sk-echo-****cret');
    expect(error.param).toBe(KEY);
    expect(error.code).toBe('key_sk-echo-****cret');
  });

  it('uses the status fault as its status', async () => {
    mock.setFaults({ echoCredential: true, status: 422 });
    const res = await post(BODY);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(KEY);
  });
});

describe('usage', () => {
  it('reports the given JSON as usage in a body and a stream', async () => {
    const odd = { prompt_tokens: '11', completion_tokens: 11.5, total_tokens: -1 };
    const body = (await (await post(BODY, { 'x-mock-usage': JSON.stringify(odd) })).json()) as {
      usage: unknown;
    };
    expect(body.usage).toEqual(odd);

    mock.setFaults({ usage: { total_tokens: 18 } });
    const stream = await client.chat.completions.create({
      ...BODY,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.filter((c) => c.choices.length === 0).map((c) => c.usage)).toEqual([{ total_tokens: 18 }]);

    mock.setFaults({ usage: null, omitUsage: true });
    const nulled = (await (await post(BODY)).json()) as Record<string, unknown>;
    expect(nulled.usage).toBeNull();
  });

  it('refuses a usage header that is not JSON', async () => {
    const res = await post(BODY, { 'x-mock-usage': '{nope' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('x-mock-usage');
  });
});
