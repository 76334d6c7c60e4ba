import { createOpenAI } from '@ai-sdk/openai';
import { type Proc, spawnPackage } from '@switchyard/testkit';
import { APICallError, generateText } from 'ai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import { apiError, SEEDED_MODEL, type Stack, setMockFaults, startStack, waitFor } from './stack';

let stack: Stack;
let client: OpenAI;
let secondMock: Proc;
/** Two targets of kind openai on two mock instances, each holding only the responses it issued. */
const PINNED_MODEL = 'resp-pinned';
const NATIVE_MODEL = 'resp-native-only';
const targetByProvider = new Map<string, string>();
/** Streams of this upstream model break after a few events (the mock's dropAfterChunks). */
const DROP_TRANSLATED = 'resp-drop-translated';
const DROP_NATIVE = 'resp-drop-native';
/** Streams of this upstream model end with the Responses `error` event after a few events. */
const ERROR_EVENT_NATIVE = 'resp-error-event-native';

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const { proc, match } = await spawnPackage(
    'packages/mock-provider',
    { MOCK_PORT: '0', MOCK_HOST: '127.0.0.1' },
    /listening on (http:\/\/[^\s"]+)/,
  );
  secondMock = proc;
  const a = await addProvider(stack, {
    name: 'openai-a',
    kind: 'openai',
    baseUrl: stack.mockUrl,
    models: ['mock-gpt-4o'],
  });
  const b = await addProvider(stack, {
    name: 'openai-b',
    kind: 'openai',
    baseUrl: (match[1] as string).replace(/\/$/, ''),
    models: ['mock-gpt-4o'],
  });
  const pinned = await stack.addRoute({
    publicModel: PINNED_MODEL,
    targets: [
      { accountId: a.accountId, upstreamModel: 'mock-gpt-4o' },
      { accountId: b.accountId, upstreamModel: 'mock-gpt-4o' },
    ],
  });
  targetByProvider.set('openai-a', pinned.targetIds[0] as string);
  targetByProvider.set('openai-b', pinned.targetIds[1] as string);
  await stack.addRoute({
    publicModel: NATIVE_MODEL,
    targets: [{ accountId: a.accountId, upstreamModel: 'mock-gpt-4o' }],
  });
  await stack.addRoute({
    publicModel: DROP_TRANSLATED,
    targets: [{ accountId: stack.accountId, upstreamModel: 'mock-drop' }],
  });
  await stack.addRoute({
    publicModel: DROP_NATIVE,
    targets: [{ accountId: a.accountId, upstreamModel: 'mock-drop' }],
  });
  await stack.addRoute({
    publicModel: ERROR_EVENT_NATIVE,
    targets: [{ accountId: a.accountId, upstreamModel: 'mock-error-event' }],
  });
  await setMockFaults(stack, {
    byModel: { 'mock-drop': { dropAfterChunks: 6 }, 'mock-error-event': { errorEventAfterChunks: 4 } },
  });
});
afterAll(async () => {
  await secondMock?.stop();
  await stack?.stop();
});

describe('openai SDK × openai-compatible', () => {
  it("bad-model: the SDK's NotFoundError, 404, with the request id", async () => {
    const error = await apiError(client.responses.create({ model: 'no-such-model', input: 'hi' }));
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.requestID).toMatch(/^req_[0-9a-f]{32}$/);
    expect((error.error as { request_id?: string }).request_id).toBe(error.requestID);
  });

  it('names a parameter translation cannot carry, when no target speaks Responses natively', async () => {
    const error = await apiError(
      client.responses.create({
        model: SEEDED_MODEL,
        input: 'hi',
        // @ts-expect-error: not a Responses parameter
        switchyard_probe: 1,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('switchyard_probe');
  });

  it('refuses a previous_response_id of a translated response: nothing upstream holds it', async () => {
    const first = await client.responses.create({ model: SEEDED_MODEL, input: 'hi' });
    const error = await apiError(
      client.responses.create({ model: SEEDED_MODEL, input: 'again', previous_response_id: first.id }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('previous_response_id');
    expect(error.message).toContain(first.id);
  });

  it("resolves an item_reference only for the key it was sent to, and names another key's", async () => {
    const first = await client.responses.create({ model: SEEDED_MODEL, input: 'Remember me' });
    const itemId = first.output[0]?.id ?? '';
    expect(itemId).toMatch(/^msg_/);
    const input = [
      { role: 'user' as const, content: 'Remember me' },
      { type: 'item_reference' as const, id: itemId },
      { role: 'user' as const, content: 'Again' },
    ];
    const same = await client.responses.create({ model: SEEDED_MODEL, input });
    expect(same.output_text).toContain('Mock reply to: Again');
    const other = await stack.createKey();
    const error = await apiError(
      stack.client(other.plaintext).responses.create({ model: SEEDED_MODEL, input }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('input[1]');
  });
});

describe('Vercel AI SDK (openai) × openai-compatible', () => {
  it('bad-model: the Vercel AI SDK gets a 404 APICallError', async () => {
    const openai = createOpenAI({ apiKey: stack.apiKey, baseURL: `${stack.routerUrl}/v1` });
    const failure = await generateText({ model: openai('no-such-model'), prompt: 'hi', maxRetries: 0 }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(APICallError.isInstance(failure)).toBe(true);
    expect((failure as APICallError).statusCode).toBe(404);
  });
});

describe('openai SDK × openai', () => {
  it("bad-model: the SDK's NotFoundError with the request id", async () => {
    const error = await apiError(
      client.responses.create({ model: 'no-such-native', input: 'hi', stream: true }),
    );
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.requestID).toMatch(/^req_/);
  });

  it('previous_response_id naming a target not on the route: 400 before any upstream', async () => {
    const error = await apiError(
      client.responses.create({
        model: NATIVE_MODEL,
        input: 'hi',
        previous_response_id: 'resp_tgt-nothere_x',
      }),
    );
    expect(error.status).toBe(400);
    expect(error.param).toBe('previous_response_id');
  });

  it('previous_response_id: every continuation goes to the target holding the response, never the other', async () => {
    const { data: first, response } = await client.responses
      .create({ model: PINNED_MODEL, input: 'Start a conversation' })
      .withResponse();
    const holder = response.headers.get('x-switchyard-provider') ?? '';
    expect(targetByProvider.has(holder)).toBe(true);
    let previous = first.id;
    // Weighted 1:1, a conversation not pinned would reach the other mock (which answers 400) within a few turns.
    for (let turn = 0; turn < 8; turn++) {
      const { data, response: r } = await client.responses
        .create({ model: PINNED_MODEL, input: `Turn ${turn}`, previous_response_id: previous })
        .withResponse();
      expect(r.headers.get('x-switchyard-provider')).toBe(holder);
      expect(data.previous_response_id).toBe(previous);
      expect(data.output_text).toContain(`Turn ${turn}`);
      previous = data.id;
    }
  });

  it('previous_response_id: a clear 400 once the holding target is disabled', async () => {
    const { data: first, response } = await client.responses
      .create({ model: PINNED_MODEL, input: 'Before the change' })
      .withResponse();
    const holder = response.headers.get('x-switchyard-provider') ?? '';
    const targetId = targetByProvider.get(holder) as string;
    await stack.prisma.routeTarget.update({ where: { id: targetId }, data: { enabled: false } });
    const error = await waitFor('the router to drop the disabled target', async () => {
      try {
        await client.responses.create({
          model: PINNED_MODEL,
          input: 'After',
          previous_response_id: first.id,
        });
        return null;
      } catch (caught) {
        return caught instanceof OpenAI.APIError ? caught : null;
      }
    });
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_feature');
    expect(error.param).toBe('previous_response_id');
    expect(error.message).toContain('disabled');
    // A new conversation is still served, by the other target.
    const fresh = await client.responses.create({ model: PINNED_MODEL, input: 'New start' }).withResponse();
    expect(fresh.response.headers.get('x-switchyard-provider')).not.toBe(holder);
    await stack.prisma.routeTarget.update({ where: { id: targetId }, data: { enabled: true } });
  });
});

/** A row whose usage is estimated: the first estimate starts the token-count thread, seconds on a busy machine. */
function usageRowAfterEstimate(requestId: string) {
  return waitFor('usage row', () => stack.prisma.usageEvent.findUnique({ where: { requestId } }), {
    timeoutMs: 30_000,
  });
}

/** The events of a stream the router ends early, and the error event it ends with. */
async function brokenStream(model: string) {
  const { data: stream, response } = await client.responses
    .create({ model, input: 'Say a long hello to the gateway', stream: true })
    .withResponse();
  const types: string[] = [];
  let error: { code?: unknown; message?: unknown } | null = null;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'error') error = event as unknown as { code?: unknown; message?: unknown };
  }
  return { types, error, requestId: response.headers.get('x-request-id') ?? '' };
}

describe('openai-responses stream broken after its first event', () => {
  it("translated: ends with Responses' error event, and the row says interrupted", async () => {
    const { types, error, requestId } = await brokenStream(DROP_TRANSLATED);
    expect(types[0]).toBe('response.created');
    expect(types).not.toContain('response.completed');
    expect(types.at(-1)).toBe('error');
    expect(error?.code).toBe('upstream_error');
    const row = await usageRowAfterEstimate(requestId);
    expect(row).toMatchObject({
      status: 'interrupted',
      surface: 'openai-responses',
      upstreamProtocol: 'openai-chat',
    });
  });

  it('native: the relayed events, then the same error event', async () => {
    const { types, error, requestId } = await brokenStream(DROP_NATIVE);
    expect(types[0]).toBe('response.created');
    expect(types).not.toContain('response.completed');
    expect(types.at(-1)).toBe('error');
    expect(error?.code).toBe('upstream_error');
    const row = await usageRowAfterEstimate(requestId);
    expect(row).toMatchObject({ status: 'interrupted', upstreamProtocol: 'openai-responses' });
  });

  it("native: the upstream's own error event reaches the caller once, and no second error follows", async () => {
    const { types, error, requestId } = await brokenStream(ERROR_EVENT_NATIVE);
    expect(types).toHaveLength(5);
    expect(types.filter((type) => type === 'error')).toEqual(['error']);
    expect(types.at(-1)).toBe('error');
    expect(error).toMatchObject({ code: 'server_error', sequence_number: 4 });
    const row = await usageRowAfterEstimate(requestId);
    expect(row).toMatchObject({ status: 'interrupted', upstreamProtocol: 'openai-responses' });
  });
});
