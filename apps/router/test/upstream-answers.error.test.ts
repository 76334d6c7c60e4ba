import { createServer, type Server } from 'node:http';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  awaitUsageRow,
  type MockStats,
  mockStats,
  type Stack,
  setMockFaults,
  startStack,
  waitFor,
} from './stack';

// Issue 12 C: what an upstream answers is normalised before it reaches the caller. An upstream error reaches the
// client in OpenAI's error shape with the account's credential redacted; a 2xx that is not JSON (or, streaming,
// not SSE) and any 3xx are upstream failures: 502 when nothing else serves, failover and a breaker failure when
// something does. Real router, mock provider and PostgreSQL; the official openai SDK as the client. Every test
// uses its own upstream model, so breakers from one test cannot leak into the next.

let stack: Stack;
let a: { id: string; credential: string };
let b: { id: string; credential: string };
let client: OpenAI;

/** A server the upstream redirects to: the router must never call it. */
let elsewhere: Server;
let elsewhereHits = 0;
let elsewhereUrl = '';

beforeAll(async () => {
  stack = await startStack({ HEALTH_REPORT_MS: '200' });
  a = await stack.addAccount('ua-a-7f3k9q2w');
  b = await stack.addAccount('ua-b-m4x8z1v6');
  client = stack.client();
  elsewhere = createServer((_req, res) => {
    elsewhereHits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"hijacked":true}');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  const address = elsewhere.address();
  elsewhereUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1/chat/completions`;
}, 60_000);
afterEach(async () => {
  await fetch(`${stack.mockOrigin}/__mock/faults`, { method: 'DELETE' });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => elsewhere?.close(() => resolve()));
});

const MESSAGES = [{ role: 'user' as const, content: 'hello there' }];

/** A route on account A alone, and one with A in tier 0 and B in tier 1, both serving `model`. */
async function routes(model: string): Promise<{ alone: string; withBackup: string }> {
  const alone = `${model}-alone`;
  const withBackup = `${model}-backup`;
  await stack.addRoute({ publicModel: alone, targets: [{ accountId: a.id, upstreamModel: model }] });
  await stack.addRoute({
    publicModel: withBackup,
    targets: [
      { accountId: a.id, upstreamModel: model, tier: 0 },
      { accountId: b.id, upstreamModel: model, tier: 1 },
    ],
  });
  return { alone, withBackup };
}

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

const hitsOf = (before: MockStats, after: MockStats, key: string) =>
  (after.byKey[key] ?? 0) - (before.byKey[key] ?? 0);

/** Every form of a credential that must not reach a client: as is, URL-encoded, and OpenAI's masked prefix. */
function credentialForms(credential: string): string[] {
  return [credential, encodeURIComponent(credential), credential.slice(0, 8), credential.slice(-8)];
}

describe('upstream errors', () => {
  it("an upstream 400 that echoes the account's credential reaches the caller in OpenAI's shape, redacted", async () => {
    const { alone } = await routes('ua-echo');
    await setMockFaults(stack, { byKey: { [a.credential]: { echoCredential: true } } });

    const error = await apiError(client.chat.completions.create({ model: alone, messages: MESSAGES }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.status).toBe(400);
    expect(error.type).toBe('invalid_request_error');
    // The upstream's message survives, minus the credential.
    expect(error.message).toContain('Invalid request for API key');
    expect(error.message).toContain('[redacted]');
    const requestId = error.headers?.get('x-request-id');
    expect(requestId).toMatch(/^req_/);
    expect((error.error as { request_id?: string }).request_id).toBe(requestId);

    // The raw body, every field of it: no form of the credential anywhere.
    const raw = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: alone, messages: MESSAGES }),
    });
    expect(raw.status).toBe(400);
    const text = await raw.text();
    for (const form of credentialForms(a.credential)) expect(text).not.toContain(form);
    const body = JSON.parse(text) as { error: Record<string, unknown> };
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'request_id', 'type']);
    expect(body.error.param).toBe('[redacted]');
    // The code carried a masked echo (`key_sk-upstr****9q2w`): the whole word goes.
    expect(body.error.code).toBe('[redacted]');
    expect(body.error.request_id).toBe(raw.headers.get('x-request-id'));

    const row = await usageRow(requestId ?? '');
    expect(row).toMatchObject({ status: 'error', httpStatus: 400, errorClass: 'client_error' });
  });

  it("keeps the upstream's client-error status, message and code when they are sane", async () => {
    const { alone } = await routes('ua-status');
    await setMockFaults(stack, { byKey: { [a.credential]: { status: 404 } } });
    const error = await apiError(client.chat.completions.create({ model: alone, messages: MESSAGES }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toBe('404 The model `ua-status` does not exist or you do not have access to it.');
    expect((error.error as { request_id?: string }).request_id).toBe(error.headers?.get('x-request-id'));
  });
});

describe('a 2xx that is not what it claims', () => {
  it('a non-JSON 200 is a 502 upstream_error, never relayed', async () => {
    const { alone } = await routes('ua-html');
    await setMockFaults(stack, { byKey: { [a.credential]: { invalidBody: true } } });
    const error = await apiError(client.chat.completions.create({ model: alone, messages: MESSAGES }));
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_error');
    expect(error.message).not.toContain('<html>');
    const row = await usageRow(error.headers?.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'error', httpStatus: 502, errorClass: 'invalid_response' });
    expect(row.costMicros).toBe(0n);
  });

  it('a non-JSON 200 fails over to the next target and teaches the breaker a failure', async () => {
    const { withBackup } = await routes('ua-html-fo');
    await setMockFaults(stack, { byKey: { [a.credential]: { invalidBody: true } } });
    const before = await mockStats(stack);
    for (let i = 0; i < 8; i++) {
      const { data, response } = await client.chat.completions
        .create({ model: withBackup, messages: MESSAGES })
        .withResponse();
      expect(data.choices[0]?.message.content).toMatch(/^Mock reply to: hello there/);
      expect(response.headers.get('x-switchyard-account')).toBe('ua-b-m4x8z1v6');
      if (i === 0) {
        expect(response.headers.get('x-switchyard-attempts')).toBe('2');
        const row = await usageRow(response.headers.get('x-request-id') ?? '');
        expect(row.attempts).toEqual([
          expect.objectContaining({ accountId: a.id, status: 200, errorClass: 'invalid_response' }),
          expect.objectContaining({ accountId: b.id, status: 200, errorClass: null }),
        ]);
      }
    }
    // Five consecutive failures open A's breaker: the last three requests never reach it.
    const after = await mockStats(stack);
    expect(hitsOf(before, after, a.credential)).toBe(5);
    expect(hitsOf(before, after, b.credential)).toBe(8);
    await waitFor('the open breaker in target_health', () =>
      stack.prisma.targetHealth.findFirst({ where: { accountId: a.id, model: 'ua-html-fo', state: 'open' } }),
    );
  });

  it('a 200 stream whose body is not SSE is a 502 before any byte, or fails over', async () => {
    const { alone, withBackup } = await routes('ua-notsse');
    await setMockFaults(stack, { byKey: { [a.credential]: { invalidBody: true } } });
    const error = await apiError(
      client.chat.completions.create({ model: alone, messages: MESSAGES, stream: true }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_error');
    const row = await usageRow(error.headers?.get('x-request-id') ?? '');
    expect(row).toMatchObject({ status: 'error', errorClass: 'invalid_response', stream: true });

    const stream = await client.chat.completions.create({
      model: withBackup,
      messages: MESSAGES,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/^Mock reply to: hello there/);
  });

  it('a 200 stream under another content type is a 502, or fails over', async () => {
    const { alone, withBackup } = await routes('ua-ctype');
    await setMockFaults(stack, { byKey: { [a.credential]: { contentType: 'text/html' } } });
    const error = await apiError(
      client.chat.completions.create({ model: alone, messages: MESSAGES, stream: true }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_error');

    const { data: stream, response } = await client.chat.completions
      .create({ model: withBackup, messages: MESSAGES, stream: true })
      .withResponse();
    expect(response.headers.get('x-switchyard-account')).toBe('ua-b-m4x8z1v6');
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toMatch(/^Mock reply to: hello there/);
  });
});

describe('redirects', () => {
  it('a 302 is a 502: never followed, never relayed', async () => {
    const { alone } = await routes('ua-302');
    await setMockFaults(stack, { byKey: { [a.credential]: { redirectTo: elsewhereUrl } } });
    for (const stream of [false, true]) {
      const error = await apiError(
        client.chat.completions.create({ model: alone, messages: MESSAGES, stream }),
      );
      expect(error.status).toBe(502);
      expect(error.code).toBe('upstream_error');
      expect(error.headers?.get('location')).toBeNull();
      const row = await usageRow(error.headers?.get('x-request-id') ?? '');
      expect(row).toMatchObject({ httpStatus: 502, errorClass: 'invalid_response' });
      expect(row.attempts).toEqual([
        expect.objectContaining({ status: 302, errorClass: 'invalid_response' }),
      ]);
    }
    // A client that does not follow redirects sees no 3xx either.
    const raw = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      redirect: 'manual',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: alone, messages: MESSAGES }),
    });
    expect(raw.status).toBe(502);
    expect(raw.headers.get('location')).toBeNull();
    expect(elsewhereHits).toBe(0);
  });

  it('a 302 fails over to the next target', async () => {
    const { withBackup } = await routes('ua-302-fo');
    await setMockFaults(stack, { byKey: { [a.credential]: { redirectTo: elsewhereUrl } } });
    const { data, response } = await client.chat.completions
      .create({ model: withBackup, messages: MESSAGES })
      .withResponse();
    expect(data.choices[0]?.message.content).toMatch(/^Mock reply to: hello there/);
    expect(response.headers.get('x-switchyard-account')).toBe('ua-b-m4x8z1v6');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(elsewhereHits).toBe(0);
  });
});
