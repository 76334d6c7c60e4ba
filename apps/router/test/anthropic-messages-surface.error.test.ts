import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ANTHROPIC_MISSING,
  ANTHROPIC_THEN_OPENAI,
  anthropicClient,
  CLAUDE_MODEL,
  DROPS_ON_ANTHROPIC,
  DROPS_ON_OPENAI,
  ERROR_EVENT_ON_ANTHROPIC,
  ON_ANTHROPIC,
  ON_OPENAI,
  OPENAI_THEN_ANTHROPIC,
  PROMPT,
  REPLY,
  startAnthropicStack,
} from './anthropic-provider';
import { awaitUsageRow, expectFailedOver, mockStats, type Stack } from './stack';

/**
 * The anthropic-messages surface's error cells (issue 13) and its own errors: `@anthropic-ai/sdk` as the client,
 * the mock speaking Anthropic and OpenAI chat as the upstreams. (The openai SDK toward an Anthropic upstream is
 * the openai-chat surface: openai-chat-surface.translated.test.ts.)
 */

let stack: Stack;
let claude: Anthropic;
let anthropic: { providerId: string; accountId: string };

beforeAll(async () => {
  ({ stack, anthropic } = await startAnthropicStack());
  claude = anthropicClient(stack);
});
afterAll(async () => {
  await stack?.stop();
});

/** The request's usage row; a broken stream's waits on the token-count thread's estimate (its first start is slow). */
const usageRow = (requestId: string) => awaitUsageRow(stack, requestId);

/** The Anthropic SDK error a call fails with; throws if it succeeds. */
async function anthropicError(call: Promise<unknown>): Promise<InstanceType<typeof Anthropic.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof Anthropic.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('@anthropic-ai/sdk × anthropic', () => {
  it("bad-model: an upstream 404 comes back as the SDK's NotFoundError in Anthropic's shape, with the request id", async () => {
    const error = await anthropicError(
      claude.messages.create({
        model: ANTHROPIC_MISSING,
        max_tokens: 50,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.type).toBe('not_found_error');
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect(error.error).toMatchObject({ type: 'error', request_id: error.requestID });
  });

  it('failover: the Anthropic primary answers 503, the OpenAI-compatible backup serves the Anthropic caller', async () => {
    const { data, response } = await claude.messages
      .create({
        model: ANTHROPIC_THEN_OPENAI,
        max_tokens: 200,
        messages: [{ role: 'user', content: PROMPT }],
      })
      .withResponse();
    const text = data.content[0];
    expect(text?.type === 'text' ? text.text : '').toBe(REPLY);
    expect(response.headers.get('x-switchyard-provider')).toBe('mock');
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      surface: 'anthropic-messages',
      upstreamProtocol: 'openai-chat',
      servedProviderId: stack.providerId,
    });
    expectFailedOver(row.attempts, anthropic.providerId, stack.providerId);
    expect(response.headers.get('x-switchyard-attempts')).toBe(
      String((row.attempts as unknown as unknown[]).length),
    );

    // Streamed: the failover happens before the first byte, the caller sees one clean Anthropic stream.
    const stream = claude.messages.stream({
      model: ANTHROPIC_THEN_OPENAI,
      max_tokens: 200,
      messages: [{ role: 'user', content: PROMPT }],
    });
    const pieces: string[] = [];
    stream.on('text', (piece) => pieces.push(piece));
    await stream.finalMessage();
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(REPLY);
  });

  it('a stream relayed as bytes and broken after its first byte ends with Anthropic’s error event', async () => {
    await expectBrokenStream(DROPS_ON_ANTHROPIC);
  });

  it("the upstream's own error event mid-stream reaches the caller once, as sent, and no second error follows", async () => {
    const { events, requestId } = await streamEvents(ERROR_EVENT_ON_ANTHROPIC);
    expect(events[0]?.startsWith('event: message_start\n')).toBe(true);
    expect(events.some((event) => event.includes('message_stop'))).toBe(false);
    const errors = events.filter((event) => event.startsWith('event: error\n'));
    expect(errors).toEqual([
      'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
    ]);
    expect(events.at(-1)).toBe(errors[0]);
    // The SDK throws the upstream's error, as it would talking to Anthropic.
    const failure = await claude.messages
      .stream({
        model: ERROR_EVENT_ON_ANTHROPIC,
        max_tokens: 200,
        messages: [{ role: 'user', content: PROMPT }],
      })
      .finalMessage()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      status: 'interrupted',
      stream: true,
      upstreamProtocol: 'anthropic-messages',
    });
  });
});

/** The SSE events (blank-line separated) of a /v1/messages stream of `model`, and its request id. */
async function streamEvents(model: string): Promise<{ events: string[]; requestId: string }> {
  const res = await fetch(`${stack.routerUrl}/v1/messages`, {
    method: 'POST',
    headers: {
      'x-api-key': stack.apiKey,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model,
      max_tokens: 200,
      stream: true,
      messages: [{ role: 'user', content: 'Drop me in the middle of the stream please' }],
    }),
  });
  expect(res.status).toBe(200);
  const events = (await res.text()).split('\n\n').filter((event) => event !== '');
  return { events, requestId: res.headers.get('x-request-id') ?? '' };
}

/**
 * Streams `model` (whose upstream drops the connection after a few events) from /v1/messages and checks the
 * caller got the first events and then Anthropic's `event: error`, carrying the request id, and no message_stop.
 */
async function expectBrokenStream(model: string): Promise<void> {
  const { events, requestId } = await streamEvents(model);
  expect(events[0]?.startsWith('event: message_start\n')).toBe(true);
  expect(events.some((event) => event.includes('"text_delta"'))).toBe(true);
  expect(events.some((event) => event.includes('message_stop'))).toBe(false);
  const last = events.at(-1) ?? '';
  expect(last.startsWith('event: error\ndata: ')).toBe(true);
  expect(JSON.parse(last.slice('event: error\ndata: '.length))).toEqual({
    type: 'error',
    error: {
      type: 'api_error',
      message: 'The upstream stream was interrupted.',
      details: { error_code: 'upstream_error' },
    },
    request_id: requestId,
  });
  const row = await usageRow(requestId ?? '');
  expect(row).toMatchObject({ status: 'interrupted', stream: true, surface: 'anthropic-messages' });
  // What reached the caller is billed, its output estimated from the text relayed (the report never came).
  expect(row.costEstimated).toBe(true);
  expect(row.outputTokens).toBeGreaterThanOrEqual(2);
}

describe('@anthropic-ai/sdk × openai-compatible', () => {
  it("bad-model: a model the router does not know is the SDK's NotFoundError with the request id, no upstream call", async () => {
    const before = (await mockStats(stack)).requests;
    const error = await anthropicError(
      claude.messages.create({
        model: 'no-such-model',
        max_tokens: 50,
        messages: [{ role: 'user', content: PROMPT }],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.type).toBe('not_found_error');
    expect(error.errorCode).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect(error.headers?.get('x-request-id')).toBe(error.requestID);
    expect((await mockStats(stack)).requests).toBe(before);
    const row = await usageRow(error.requestID ?? '');
    expect(row).toMatchObject({ status: 'rejected', httpStatus: 404, surface: 'anthropic-messages' });
  });

  it('failover: the OpenAI-compatible primary answers 503, the Anthropic backup serves the Anthropic caller natively', async () => {
    const body = {
      model: OPENAI_THEN_ANTHROPIC,
      max_tokens: 200,
      messages: [{ role: 'user' as const, content: PROMPT }],
    };
    const { data, response } = await claude.messages.create(body).withResponse();
    const text = data.content[0];
    expect(text?.type === 'text' ? text.text : '').toBe(REPLY);
    expect(response.headers.get('x-switchyard-provider')).toBe('mock-anthropic');
    const sent = (await mockStats(stack)) as unknown as { lastRequest: { path: string; body: unknown } };
    expect(sent.lastRequest.path).toBe('/v1/messages');
    expect(sent.lastRequest.body).toEqual({ ...body, model: CLAUDE_MODEL });
    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row).toMatchObject({
      status: 'success',
      surface: 'anthropic-messages',
      upstreamProtocol: 'anthropic-messages',
      servedProviderId: anthropic.providerId,
    });
    expectFailedOver(row.attempts, stack.providerId, anthropic.providerId);
  });

  it('a body only Anthropic can serve (cache_control) toward an OpenAI target is a 400 unsupported_feature naming it', async () => {
    const before = (await mockStats(stack)).requests;
    const error = await anthropicError(
      claude.messages.create({
        model: ON_OPENAI,
        max_tokens: 50,
        messages: [
          { role: 'user', content: [{ type: 'text', text: PROMPT, cache_control: { type: 'ephemeral' } }] },
        ],
      }),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.errorCode).toBe('unsupported_feature');
    expect(JSON.stringify(error.error)).toContain('cache_control');
    expect((await mockStats(stack)).requests).toBe(before);
  });

  it('a stream broken after its first byte ends with Anthropic’s error event carrying the request id', async () => {
    await expectBrokenStream(DROPS_ON_OPENAI);
  });
});

describe('anthropic-messages surface', () => {
  const post = (headers: Record<string, string>) =>
    fetch(`${stack.routerUrl}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        model: ON_ANTHROPIC,
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });

  it('refuses a request without anthropic-version with a 400 in Anthropic’s shape, as Anthropic does', async () => {
    const res = await post({ 'x-api-key': stack.apiKey });
    expect(res.status).toBe(400);
    const requestId = res.headers.get('request-id');
    expect(requestId).toMatch(/^req_/);
    expect(await res.json()).toEqual({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'anthropic-version: header is required',
        details: { error_code: 'invalid_request', param: 'anthropic-version' },
      },
      request_id: requestId,
    });
  });

  it('takes the key from x-api-key or Authorization: Bearer, and answers a missing or wrong one with 401', async () => {
    const version = { 'anthropic-version': '2023-06-01' };
    expect((await post({ ...version, authorization: `Bearer ${stack.apiKey}` })).status).toBe(200);
    expect((await post({ ...version, 'x-api-key': stack.apiKey })).status).toBe(200);
    const missing = await post(version);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', details: { error_code: 'missing_api_key' } },
    });
    const wrong = await anthropicError(
      anthropicClient(stack, 'sk-not-a-key').messages.create({
        model: ON_ANTHROPIC,
        max_tokens: 5,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(wrong).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(wrong.requestID).toMatch(/^req_/);
  });

  it('names the field of a malformed body in a 400 invalid_request_error', async () => {
    const error = await anthropicError(
      claude.messages.create({ model: ON_ANTHROPIC, messages: [{ role: 'user', content: 'hi' }] } as never),
    );
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(error.type).toBe('invalid_request_error');
    expect(error.error).toMatchObject({ error: { details: { param: 'max_tokens' } } });
  });

  it('count_tokens is authenticated and knows the model like /v1/messages', async () => {
    const error = await anthropicError(
      claude.messages.countTokens({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.requestID).toMatch(/^req_/);
    const unauthorised = await anthropicError(
      anthropicClient(stack, 'sk-not-a-key').messages.countTokens({
        model: ON_ANTHROPIC,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(unauthorised).toBeInstanceOf(Anthropic.AuthenticationError);
  });
});
