import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from './anthropic-provider';
import { genai } from './gemini-stack';
import { apiError, SEEDED_MODEL, type Stack, setMockFaults, startStack, waitFor } from './stack';

// Issue 15 "Logs": the router writes one JSON object a line, request-scoped lines carry the request id, and no
// secret reaches its output in any form a client or an upstream can put one in. A real router at LOG_LEVEL=debug
// (its most talkative: a line per request with its headers, a line per failed attempt) and the mock provider;
// clients are the official SDKs where a user would use one. Everything the router printed, stdout and stderr, is
// searched.

let stack: Stack;
let echoing: { id: string; credential: string };
let key: { plaintext: string; id: string };
const MESSAGES = [{ role: 'user' as const, content: 'hello there' }];
/** Parts of a secret a log line must not hold either: as sent, URL-encoded, its first and last 8 characters. */
const forms = (secret: string) => [secret, encodeURIComponent(secret), secret.slice(0, 8), secret.slice(-8)];

interface LogLine {
  level: string;
  time: string;
  service: string;
  msg: string;
  requestId?: string;
  [field: string]: unknown;
}

/** Every line the router printed, each parsed as JSON (a line that is not JSON fails the test). */
function lines(): LogLine[] {
  return stack.router
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogLine;
      } catch {
        throw new Error(`the router printed a line that is not JSON: ${line}`);
      }
    });
}

/** The lines of one request, once the one named `msg` is there (a request's line is written when it closes). */
async function linesOf(requestId: string, msg: string): Promise<LogLine[]> {
  return waitFor(`a "${msg}" line of ${requestId}`, () => {
    const mine = lines().filter((line) => line.requestId === requestId);
    return mine.some((line) => line.msg === msg) ? mine : null;
  });
}

/** The `request` line of one request (written when its response closes). */
async function requestLine(requestId: string): Promise<LogLine & { headers: Record<string, string> }> {
  const line = (await linesOf(requestId, 'request')).find((l) => l.msg === 'request') as LogLine;
  return line as LogLine & { headers: Record<string, string> };
}

beforeAll(async () => {
  stack = await startStack({ LOG_LEVEL: 'debug' });
  echoing = await stack.addAccount('logs-echo-4k9q2w7z');
  await stack.addRoute({
    publicModel: 'logs-echo-400',
    targets: [{ accountId: echoing.id, upstreamModel: 'logs-echo-400' }],
  });
  await stack.addRoute({
    publicModel: 'logs-echo-500',
    targets: [{ accountId: echoing.id, upstreamModel: 'logs-echo-500' }],
  });
  await setMockFaults(stack, {
    byModel: {
      'logs-echo-400': { echoCredential: true },
      'logs-echo-500': { echoCredential: true, status: 500 },
    },
  });
  key = await stack.createKey();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('router logs', () => {
  it('are JSON lines of one shape; a request line per request at debug, its key headers redacted', async () => {
    const openai = stack.client(key.plaintext, { defaultHeaders: { 'api-key': key.plaintext } });
    const chat = await openai.chat.completions
      .create({ model: SEEDED_MODEL, messages: MESSAGES })
      .withResponse();
    const chatId = chat.response.headers.get('x-request-id') ?? '';
    const message = await anthropicClient(stack, key.plaintext)
      .messages.create({ model: SEEDED_MODEL, max_tokens: 64, messages: MESSAGES })
      .withResponse();
    expect(message.data.content[0]?.type).toBe('text');
    // This SDK sends its key as a bearer token; Anthropic's documented header is x-api-key.
    const viaXApiKey = await fetch(`${stack.routerUrl}/v1/messages`, {
      method: 'POST',
      headers: {
        'x-api-key': key.plaintext,
        'anthropic-version': '2023-06-01',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ model: SEEDED_MODEL, max_tokens: 64, messages: MESSAGES }),
    });
    expect(viaXApiKey.status).toBe(200);
    const messageId = viaXApiKey.headers.get('x-request-id') ?? '';
    const generated = await genai(stack, key.plaintext).models.generateContent({
      model: SEEDED_MODEL,
      contents: 'hello there',
    });
    expect(generated.text).toMatch(/^Mock reply to: hello there/);
    const viaQuery = await fetch(
      `${stack.routerUrl}/v1beta/models/${SEEDED_MODEL}:generateContent?key=${encodeURIComponent(key.plaintext)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] }),
      },
    );
    expect(viaQuery.status).toBe(200);
    const queryId = viaQuery.headers.get('x-request-id') ?? '';

    const chatLine = await requestLine(chatId);
    expect(chatLine).toMatchObject({
      level: 'debug',
      service: 'router',
      method: 'POST',
      url: '/v1/chat/completions',
      status: 200,
      finished: true,
    });
    expect(typeof chatLine.durationMs).toBe('number');
    expect(Number.isNaN(Date.parse(chatLine.time))).toBe(false);
    expect(chatLine.headers.authorization).toBe('[redacted]');
    expect(chatLine.headers['api-key']).toBe('[redacted]');
    expect(chatLine.headers['content-type']).toBe('application/json');

    const messageLine = await requestLine(messageId);
    expect(messageLine.headers['x-api-key']).toBe('[redacted]');
    expect(messageLine.url).toBe('/v1/messages');
    const geminiLines = lines().filter(
      (line) =>
        line.msg === 'request' && (line.headers as Record<string, string>)['x-goog-api-key'] !== undefined,
    );
    expect(geminiLines.map((line) => (line.headers as Record<string, string>)['x-goog-api-key'])).toEqual([
      '[redacted]',
    ]);
    expect((await requestLine(queryId)).url).toBe(
      `/v1beta/models/${SEEDED_MODEL}:generateContent?key=[redacted]`,
    );

    for (const form of forms(key.plaintext)) expect(stack.router.output()).not.toContain(form);
  });

  it("a failing upstream that echoes the account's credential: logged with the request id, the credential redacted", async () => {
    const client = stack.client(key.plaintext);
    const refused = await apiError(
      client.chat.completions.create({ model: 'logs-echo-400', messages: MESSAGES }),
    );
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    const refusedId = refused.headers?.get('x-request-id') ?? '';
    const failed = await apiError(
      client.chat.completions.create({ model: 'logs-echo-500', messages: MESSAGES }),
    );
    expect(failed.status).toBe(502);
    const failedId = failed.headers?.get('x-request-id') ?? '';

    const refusedLine = (await linesOf(refusedId, 'upstream attempt refused the request')).find(
      (line) => line.msg === 'upstream attempt refused the request',
    );
    expect(refusedLine).toMatchObject({
      level: 'debug',
      accountId: echoing.id,
      model: 'logs-echo-400',
      status: 400,
      errorClass: 'client_error',
      reason: 'primary',
    });
    expect(refusedLine?.upstreamMessage).toContain('Invalid request for API key [redacted]');

    const failedLines = (await linesOf(failedId, 'upstream attempt failed')).filter(
      (line) => line.msg === 'upstream attempt failed',
    );
    expect(failedLines.length).toBeGreaterThanOrEqual(1);
    for (const line of failedLines) {
      expect(line).toMatchObject({
        level: 'warn',
        accountId: echoing.id,
        status: 500,
        errorClass: 'server_error',
      });
      expect(line.upstreamMessage).toContain('Invalid request for API key [redacted]');
    }
    // The request line of each is there too, with the status the caller got.
    expect((await requestLine(failedId)).status).toBe(502);

    for (const form of forms(echoing.credential)) expect(stack.router.output()).not.toContain(form);
    for (const form of forms(key.plaintext)) expect(stack.router.output()).not.toContain(form);
  });

  it('a rejected key in any of the places a client may send one leaves no trace of it', async () => {
    const wrong = 'sk-sy-NotAKey0123456789abcdefghijklmnopqrstuvw';
    const other = 'AIzaSyWrongGoogleKey-0123456789';
    const error = await apiError(
      stack.client(wrong).chat.completions.create({ model: SEEDED_MODEL, messages: MESSAGES }),
    );
    expect(error.status).toBe(401);
    await expect(
      anthropicClient(stack, other).messages.create({
        model: SEEDED_MODEL,
        max_tokens: 8,
        messages: MESSAGES,
      }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    const viaQuery = await fetch(
      `${stack.routerUrl}/v1beta/models/${SEEDED_MODEL}:generateContent?alt=sse&key=${encodeURIComponent(other)}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    );
    expect(viaQuery.status).toBe(401);
    const queryId = viaQuery.headers.get('x-request-id') ?? '';
    expect((await requestLine(queryId)).url).toBe(
      `/v1beta/models/${SEEDED_MODEL}:generateContent?alt=sse&key=[redacted]`,
    );
    for (const secret of [wrong, other]) {
      for (const form of forms(secret)) expect(stack.router.output()).not.toContain(form);
    }
  });
});
