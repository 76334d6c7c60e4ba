import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from './anthropic-provider';
import { genai } from './gemini-stack';
import { SEEDED_MODEL, type Stack, startStack, UPSTREAM_MODEL } from './stack';

/**
 * `GET /v1/models` and `/v1beta/models` for each SDK family, as an app that only changed its base URL and key
 * lists and reads models: `openai`'s `models.list`/`retrieve` (models-retrieve.happy.test.ts), `@anthropic-ai/sdk`'s
 * `models.list`/`retrieve` (Anthropic's paged list; the SDK sends `anthropic-version` and its key as a bearer
 * token, curl and the Python SDK as `x-api-key`), `@google/genai`'s `models.list`/`get`.
 */

let stack: Stack;
/** Public models besides the seeded one, so a page of two needs several pages. */
const EXTRA = ['list-a', 'list-b', 'list-c', 'list-d'];
let limitedKey: string;

beforeAll(async () => {
  stack = await startStack();
  for (const publicModel of EXTRA)
    await stack.addRoute({
      publicModel,
      targets: [{ accountId: stack.accountId, upstreamModel: UPSTREAM_MODEL }],
    });
  limitedKey = (await stack.createKey({ allowedModels: ['list-b', 'list-d'] })).plaintext;
});
afterAll(async () => {
  await stack?.stop();
});

/** Every public model the seeded key may call, sorted as the router lists them. */
async function allModels(): Promise<string[]> {
  const res = await fetch(`${stack.routerUrl}/v1/models`, {
    headers: { authorization: `Bearer ${stack.apiKey}` },
  });
  const body = (await res.json()) as { data: { id: string }[] };
  return body.data.map((model) => model.id);
}

describe('@anthropic-ai/sdk models', () => {
  it("models.list: Anthropic's list shape, every model once across pages", async () => {
    const claude = anthropicClient(stack);
    const expected = await allModels();
    expect(expected).toEqual(expect.arrayContaining([SEEDED_MODEL, ...EXTRA]));
    const first = await claude.models.list({ limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.data[0]).toMatchObject({ type: 'model', id: expected[0], display_name: expected[0] });
    expect(Number.isNaN(Date.parse(first.data[0]?.created_at ?? ''))).toBe(false);
    expect(first.has_more).toBe(true);
    expect(first.first_id).toBe(expected[0]);
    expect(first.last_id).toBe(expected[1]);
    // The SDK's own auto-pagination walks after_id to the end.
    const ids: string[] = [];
    for await (const model of claude.models.list({ limit: 2 })) ids.push(model.id);
    expect(ids).toEqual(expected);
    const back = await claude.models.list({ before_id: expected[3] as string, limit: 2 });
    expect(back.data.map((model) => model.id)).toEqual(expected.slice(1, 3));
    expect(back.has_more).toBe(true);
  });

  it("models.list: Anthropic's shape for a key in x-api-key too (curl, the Python SDK), as Anthropic documents it", async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models?limit=1`, {
      headers: { 'x-api-key': stack.apiKey, 'anthropic-version': '2023-06-01' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    const first = (await allModels())[0];
    expect(body).toMatchObject({ has_more: true, first_id: first, last_id: first });
    expect(body.data).toMatchObject([{ type: 'model', id: first }]);
    // Without anthropic-version Anthropic answers 400; so does the router, in Anthropic's shape.
    const unversioned = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { 'x-api-key': stack.apiKey },
    });
    expect(unversioned.status).toBe(400);
    expect(await unversioned.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
  });

  it('models.list: only the models the key may call', async () => {
    const page = await anthropicClient(stack, limitedKey).models.list();
    expect(page.data.map((model) => model.id)).toEqual(['list-b', 'list-d']);
    expect(page.has_more).toBe(false);
  });

  it('models.retrieve: the ModelInfo of an allowed model; NotFoundError for one not routed or not allowed', async () => {
    const info = await anthropicClient(stack).models.retrieve('list-c');
    expect(info).toMatchObject({ type: 'model', id: 'list-c', display_name: 'list-c' });
    const missing = await anthropicClient(stack)
      .models.retrieve('no-such-model')
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).requestID).toMatch(/^req_/);
    expect((missing as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({
      type: 'error',
      error: { type: 'not_found_error' },
    });
    const denied = await anthropicClient(stack, limitedKey)
      .models.retrieve('list-a')
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("a wrong key is the SDK's AuthenticationError; a bad limit a 400 naming it", async () => {
    const denied = await anthropicClient(stack, 'sk-not-a-key')
      .models.list()
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(Anthropic.AuthenticationError);
    const bad = await anthropicClient(stack)
      .models.list({ limit: 0 })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.BadRequestError>).message).toContain('limit');
  });
});

describe('@google/genai models', () => {
  it('models.list: the models as models/{id}, paged by nextPageToken, the key in x-goog-api-key', async () => {
    const expected = await allModels();
    const pager = await genai(stack).models.list({ config: { pageSize: 2 } });
    expect(pager.page).toHaveLength(2);
    expect(pager.page[0]).toMatchObject({ name: `models/${expected[0]}`, displayName: expected[0] });
    expect(pager.page[0]?.supportedActions).toContain('generateContent');
    const names: string[] = [];
    for await (const model of pager) names.push(model.name ?? '');
    expect(names).toEqual(expected.map((id) => `models/${id}`));
    const limited = await genai(stack, limitedKey).models.list();
    expect(limited.page.map((model) => model.name)).toEqual(['models/list-b', 'models/list-d']);
  });

  it('models.get: one model; ApiError 404 for one not routed or not allowed, 401 without a valid key', async () => {
    const model = await genai(stack).models.get({ model: 'list-a' });
    expect(model.name).toBe('models/list-a');
    const prefixed = await genai(stack).models.get({ model: 'models/list-b' });
    expect(prefixed.name).toBe('models/list-b');
    const missing = await genai(stack)
      .models.get({ model: 'no-such-model' })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ApiError);
    expect((missing as ApiError).status).toBe(404);
    expect((missing as ApiError).message).toContain('NOT_FOUND');
    const denied = await genai(stack, limitedKey)
      .models.get({ model: 'list-a' })
      .catch((error: unknown) => error);
    expect((denied as ApiError).status).toBe(404);
    const unauthenticated = await genai(stack, 'not-a-key')
      .models.list()
      .catch((error: unknown) => error);
    expect(unauthenticated).toBeInstanceOf(ApiError);
    expect([401, 403]).toContain((unauthenticated as ApiError).status);
  });

  it('a pageToken this list did not hand out is a 400 naming it', async () => {
    const res = await fetch(`${stack.routerUrl}/v1beta/models?pageToken=%21%21`, {
      headers: { 'x-goog-api-key': stack.apiKey },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.message).toContain('pageToken');
  });
});
