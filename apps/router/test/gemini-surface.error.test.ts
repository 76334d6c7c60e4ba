import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, type GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addPrices, addProvider } from './add-provider';
import { addGeminiRoutes, BUSY_GEMINI_MODEL, type GeminiRoutes, genai, PROMPT, REPLY } from './gemini-stack';
import { apiError, awaitUsageRow, mockStats, type Stack, setMockFaults, startStack, waitFor } from './stack';

let stack: Stack;
let routes: GeminiRoutes;
let ai: GoogleGenAI;
let openai: OpenAI;
/** An upstream that answers every call 200 with JSON that is not a Gemini answer. */
let garbage: Server;

beforeAll(async () => {
  stack = await startStack();
  routes = await addGeminiRoutes(stack);
  garbage = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"candidates":"not a list"}');
    });
  });
  await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
  const { accountId: garbageAccountId } = await addProvider(stack, {
    name: 'garbage-gemini',
    kind: 'gemini',
    baseUrl: `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`,
    models: ['garbage-model'],
    price: { input: 1n, output: 1n },
    credential: 'AIza-garbage',
  });
  await stack.addRoute({
    publicModel: 'gem-garbage',
    targets: [
      { accountId: garbageAccountId, upstreamModel: 'garbage-model', tier: 0 },
      { accountId: stack.accountId, upstreamModel: 'mock-gpt-for-gemini', tier: 1 },
    ],
  });
  await stack.addRoute({
    publicModel: 'gem-drop',
    targets: [{ accountId: routes.geminiAccountId, upstreamModel: 'mock-gemini-drop' }],
  });
  await stack.addRoute({
    publicModel: 'gem-missing',
    targets: [{ accountId: routes.geminiAccountId, upstreamModel: 'mock-gemini-missing' }],
  });
  await stack.addRoute({
    publicModel: 'gem-openai-missing',
    targets: [{ accountId: stack.accountId, upstreamModel: 'mock-gpt-missing' }],
  });
  await stack.addRoute({
    publicModel: 'gem-openai-drop',
    targets: [{ accountId: stack.accountId, upstreamModel: 'mock-gpt-drop' }],
  });
  // The other way round: a chat primary the mock fails with 503, the Gemini account as the backup.
  await stack.addRoute({
    publicModel: 'gem-failover-reverse',
    targets: [
      { accountId: stack.accountId, upstreamModel: 'mock-gpt-busy', tier: 0 },
      { accountId: routes.geminiAccountId, upstreamModel: 'mock-gemini-flash', tier: 1 },
    ],
  });
  await addPrices(stack, stack.providerId, ['mock-gpt-busy'], { input: 1n, output: 1n });
  await addPrices(stack, routes.geminiProviderId, ['mock-gemini-drop', 'mock-gemini-missing'], {
    input: 1n,
    output: 1n,
  });
  await setMockFaults(stack, {
    byModel: {
      [BUSY_GEMINI_MODEL]: { status: 503 },
      'mock-gemini-drop': { dropAfterChunks: 3 },
      'mock-gemini-missing': { status: 404 },
      'mock-gpt-missing': { status: 404 },
      'mock-gpt-busy': { status: 503 },
      'mock-gpt-drop': { dropAfterChunks: 4 },
    },
  });
  ai = genai(stack);
  openai = stack.client();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => garbage?.close(resolve));
});

const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

/** The ApiError a @google/genai call fails with; throws if it succeeds. */
async function geminiError(call: Promise<unknown>): Promise<ApiError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

const REQUEST_ID = /req_[0-9a-f]{32}/;

describe('@google/genai × gemini', () => {
  it("bad-model: an unknown model is the SDK's ApiError 404, NOT_FOUND, the request id in its message", async () => {
    const error = await geminiError(ai.models.generateContent({ model: 'no-such-model', contents: PROMPT }));
    expect(error.status).toBe(404);
    expect(error.message).toContain('NOT_FOUND');
    expect(error.message).toContain("The model 'no-such-model' does not exist");
    const requestId = error.message.match(REQUEST_ID)?.[0] as string;
    expect(requestId).toBeDefined();
    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      status: 'rejected',
      httpStatus: 404,
      errorClass: 'model_not_found',
      surface: 'gemini-generate',
      requestedModel: 'no-such-model',
    });

    // The same answer on the wire: Google's error JSON, the id also in x-request-id.
    const res = await fetch(`${stack.routerUrl}/v1beta/models/no-such-model:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'x-goog-api-key': stack.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }),
    });
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: { code: number; status: string; message: string } };
    expect(body.error.code).toBe(404);
    expect(body.error.status).toBe('NOT_FOUND');
    expect(body.error.message).toContain(`(request id: ${res.headers.get('x-request-id')})`);
  });

  it("bad-model: the Gemini upstream's own 404 reaches the caller as ApiError 404, not retried", async () => {
    const before = (await mockStats(stack)).byModel['mock-gemini-missing'] ?? 0;
    const error = await geminiError(ai.models.generateContent({ model: 'gem-missing', contents: PROMPT }));
    expect(error.status).toBe(404);
    expect(error.message).toContain('NOT_FOUND');
    expect(error.message).toMatch(REQUEST_ID);
    expect((await mockStats(stack)).byModel['mock-gemini-missing']).toBe(before + 1);
  });

  it('failover: a Gemini primary answering 503 fails over to the OpenAI-compatible backup', async () => {
    const response = await ai.models.generateContent({ model: 'gem-failover', contents: PROMPT });
    expect(response.text).toBe(REPLY);
    const headers = response.sdkHttpResponse?.headers ?? {};
    expect(headers['x-switchyard-model']).toBe('mock-gpt-for-gemini');
    const row = await usageRow(headers['x-request-id'] as string);
    expect(row).toMatchObject({
      surface: 'gemini-generate',
      upstreamProtocol: 'openai-chat',
      status: 'success',
    });
    // The ladder may retry the busy target once before moving on; the backup serves last.
    const attempts = (row.attempts as { status: number | null; model: string }[]).map((a) => [
      a.model,
      a.status,
    ]);
    expect(headers['x-switchyard-attempts']).toBe(String(attempts.length));
    expect(attempts.at(-1)).toEqual(['mock-gpt-for-gemini', 200]);
    expect(attempts.slice(0, -1).length).toBeGreaterThan(0);
    for (const attempt of attempts.slice(0, -1)) expect(attempt).toEqual([BUSY_GEMINI_MODEL, 503]);

    const stream = await ai.models.generateContentStream({ model: 'gem-failover', contents: PROMPT });
    let text = '';
    let events = 0;
    for await (const chunk of stream) {
      events++;
      text += chunk.text ?? '';
    }
    expect(events).toBeGreaterThan(3);
    expect(text).toBe(REPLY);
  });

  it('stream: a Gemini upstream that breaks mid-stream ends the stream with an error event the SDK throws', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gem-drop', contents: PROMPT });
    let text = '';
    let thrown: unknown = null;
    try {
      for await (const chunk of stream) text += chunk.text ?? '';
    } catch (error) {
      thrown = error;
    }
    expect(text).toBe('Mock reply to:');
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(502);
    expect((thrown as ApiError).message).toMatch(REQUEST_ID);
  });

  it("non-stream: no key is 401 in Google's shape; a key in ?key= is served and never logged", async () => {
    const url = `${stack.routerUrl}/v1beta/models/gem-flash:generateContent`;
    const init = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: PROMPT }] }] }),
    };
    const missing = await fetch(url, init);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
    const wrong = await geminiError(
      genai(stack, 'sk-not-a-key').models.generateContent({ model: 'gem-flash', contents: PROMPT }),
    );
    expect(wrong.status).toBe(401);

    const key = await stack.createKey();
    const served = await fetch(`${url}?key=${encodeURIComponent(key.plaintext)}`, init);
    expect(served.status).toBe(200);
    // Nothing the router printed holds the key (or the query it came in).
    expect(stack.router.output()).not.toContain(key.plaintext);
    expect(stack.router.output()).not.toContain('key=');
  });
});

describe('@google/genai × openai-compatible', () => {
  it('stream: a chat upstream that breaks mid-stream ends the Gemini stream with an error event the SDK throws', async () => {
    const stream = await ai.models.generateContentStream({ model: 'gem-openai-drop', contents: PROMPT });
    let text = '';
    let thrown: unknown = null;
    try {
      for await (const chunk of stream) text += chunk.text ?? '';
    } catch (error) {
      thrown = error;
    }
    // The role chunk and three words made it before the drop.
    expect(text).toBe('Mock reply to:');
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(502);
    expect((thrown as ApiError).message).toMatch(REQUEST_ID);
  });

  it('failover: an OpenAI-compatible primary answering 503 fails over to the Gemini backup', async () => {
    const response = await ai.models.generateContent({ model: 'gem-failover-reverse', contents: PROMPT });
    expect(response.text).toBe(REPLY);
    const headers = response.sdkHttpResponse?.headers ?? {};
    expect(headers['x-switchyard-model']).toBe('mock-gemini-flash');
    const row = await usageRow(headers['x-request-id'] as string);
    // Served on the fast path after all: the Gemini caller's body went to the Gemini backup unchanged.
    expect(row).toMatchObject({
      surface: 'gemini-generate',
      upstreamProtocol: 'gemini-generate',
      status: 'success',
    });
    const attempts = (row.attempts as { status: number | null; model: string }[]).map((a) => [
      a.model,
      a.status,
    ]);
    expect(headers['x-switchyard-attempts']).toBe(String(attempts.length));
    expect(attempts[0]).toEqual(['mock-gpt-busy', 503]);
    expect(attempts.at(-1)).toEqual(['mock-gemini-flash', 200]);
  });

  it("bad-model: the chat upstream's 404 reaches the Gemini caller as ApiError 404 in Google's shape", async () => {
    const error = await geminiError(
      ai.models.generateContent({ model: 'gem-openai-missing', contents: PROMPT }),
    );
    expect(error.status).toBe(404);
    expect(error.message).toContain('NOT_FOUND');
    expect(error.message).toContain('mock-gpt-missing');
    expect(error.message).toMatch(REQUEST_ID);
  });

  it('non-stream: Gemini-only fields are refused by name (400) for a chat upstream, never dropped', async () => {
    const before = (await mockStats(stack)).requests;
    const error = await geminiError(
      ai.models.generateContent({
        model: 'gem-on-openai',
        contents: PROMPT,
        config: { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }] },
      } as Parameters<GoogleGenAI['models']['generateContent']>[0]),
    );
    expect(error.status).toBe(400);
    expect(error.message).toContain('INVALID_ARGUMENT');
    expect(error.message).toContain('safetySettings');
    expect((await mockStats(stack)).requests).toBe(before);
  });

  it('non-stream: with Gemini-only fields a mixed route tries only its Gemini targets, never the chat backup', async () => {
    const before = (await mockStats(stack)).byModel['mock-gpt-for-gemini'] ?? 0;
    const error = await geminiError(
      ai.models.generateContent({
        model: 'gem-failover',
        contents: PROMPT,
        config: { thinkingConfig: { thinkingBudget: 0 } },
      }),
    );
    // The busy Gemini primary is all the route has for such a body: the attempts run out on it (502).
    expect(error.status).toBe(502);
    expect(error.message).toMatch(REQUEST_ID);
    expect((await mockStats(stack)).byModel['mock-gpt-for-gemini'] ?? 0).toBe(before);
  });
});

// Not matrix cells (the openai-chat surface's file holds those): how the Gemini adapter's failures look behind it.
describe('gemini adapter behind the openai-chat surface', () => {
  it("the Gemini upstream's 404 reaches an OpenAI caller as NotFoundError in OpenAI's shape", async () => {
    const error = await apiError(
      openai.chat.completions.create({ model: 'gem-missing', messages: [{ role: 'user', content: PROMPT }] }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.requestID).toMatch(REQUEST_ID);
  });

  it('a Gemini answer that does not translate is an invalid response, and the backup serves', async () => {
    const { data, response } = await openai.chat.completions
      .create({ model: 'gem-garbage', messages: [{ role: 'user', content: PROMPT }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(REPLY);
    const row = await usageRow(response.headers.get('x-request-id') as string);
    const attempts = row.attempts as { model: string; status: number | null; errorClass: string | null }[];
    expect(attempts[0]).toMatchObject({
      model: 'garbage-model',
      status: 200,
      errorClass: 'invalid_response',
    });
    expect(attempts.at(-1)).toMatchObject({ model: 'mock-gpt-for-gemini', status: 200, errorClass: null });
    expect(row).toMatchObject({ upstreamProtocol: 'openai-chat', status: 'success' });
  });
});

// Last: it restarts the router with active health checks on.
describe('gemini adapter health check', () => {
  it('failover: active health checks probe a Gemini account with GET /v1beta/models and its x-goog-api-key', async () => {
    await setMockFaults(stack, {});
    await stack.restartRouter({ HEALTH_CHECK_INTERVAL_MS: '200' });
    const before = (await mockStats(stack)).byKey[routes.geminiCredential] ?? 0;
    // No client traffic: only the probe presents the Gemini account's key, and only GET /v1beta/models counts a
    // GET under it at the mock.
    await waitFor('two health probes of the Gemini account', async () => {
      const now = (await mockStats(stack)).byKey[routes.geminiCredential] ?? 0;
      return now >= before + 2;
    });
    // The restarted router listens elsewhere: a new client.
    const response = await genai(stack).models.generateContent({ model: 'gem-flash', contents: PROMPT });
    expect(response.text).toBe(REPLY);
  });
});
