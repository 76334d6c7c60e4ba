import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockEmbedding } from './embeddings';
import { type MockProvider, startMockProvider } from './start-mock-provider';

let mock: MockProvider;
beforeAll(async () => {
  mock = await startMockProvider();
});
afterAll(async () => {
  await mock?.close();
});
beforeEach(() => {
  mock.resetStats();
  mock.setFaults({});
});

const MESSAGES = [{ role: 'user' as const, content: 'Say hello to Azure' }];
const CONTENT = 'Mock reply to: Say hello to Azure — this is a deterministic mock completion.';

function azure(deployment: string, options: { apiKey?: string; apiVersion?: string } = {}) {
  return new AzureOpenAI({
    endpoint: mock.origin,
    apiKey: options.apiKey ?? 'azure-key-1',
    apiVersion: options.apiVersion ?? '2024-10-21',
    deployment,
    maxRetries: 0,
  });
}

async function post(path: string, headers: Record<string, string>) {
  const res = await fetch(`${mock.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: MESSAGES }),
  });
  return { status: res.status, body: (await res.json()) as { error?: { code?: string; message?: string } } };
}

describe('Azure OpenAI routes of the mock', () => {
  it("answers AzureOpenAI's embeddings on the deployment URL, the deployment as the model, key by api-key", async () => {
    const result = await azure('embed-dep', { apiKey: 'azure-embed-key' }).embeddings.create({
      model: 'ignored-by-azure',
      input: ['hello azure'],
      encoding_format: 'float',
    });
    expect(result.model).toBe('embed-dep');
    expect(result.data[0]?.embedding).toEqual(mockEmbedding('hello azure'));
    expect(mock.stats().byModel['embed-dep']).toBe(1);
    expect(mock.stats().byKey['azure-embed-key']).toBe(1);
  });

  it("answers the openai SDK's AzureOpenAI client on the deployment URL; the deployment is the model", async () => {
    const completion = await azure('gpt4o-prod').chat.completions.create({
      model: 'ignored-by-azure',
      messages: MESSAGES,
    });
    expect(completion.choices[0]?.message.content).toBe(CONTENT);
    expect(completion.model).toBe('gpt4o-prod');
    const stats = mock.stats();
    expect(stats.byModel).toEqual({ 'gpt4o-prod': 1 });
    expect(stats.byKey).toEqual({ 'azure-key-1': 1 });
    expect(stats.lastRequest?.path).toBe(
      '/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21',
    );
    expect(stats.lastRequest?.headers['api-key']).toBe('azure-ke…');
    // The body is recorded as sent, its model untouched.
    expect(stats.lastRequest?.body).toMatchObject({ model: 'ignored-by-azure' });
  });

  it('streams with usage when asked, like the OpenAI route', async () => {
    const stream = await azure('gpt4o-prod').chat.completions.create({
      model: 'gpt4o-prod',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let usage: { completion_tokens: number } | null | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe(CONTENT);
    expect(chunks).toBeGreaterThan(3);
    expect(usage?.completion_tokens).toBe(CONTENT.split(' ').length);
  });

  it('applies byKey faults to the api-key and byModel faults to the deployment', async () => {
    mock.setFaults({ byKey: { 'azure-key-2': { status: 503 } }, byModel: { broken: { status: 429 } } });
    await expect(
      azure('gpt4o-prod', { apiKey: 'azure-key-2' }).chat.completions.create({
        model: 'x',
        messages: MESSAGES,
      }),
    ).rejects.toMatchObject({ status: 503 });
    await expect(
      azure('broken').chat.completions.create({ model: 'x', messages: MESSAGES }),
    ).rejects.toMatchObject({ status: 429 });
    const ok = await azure('gpt4o-prod').chat.completions.create({ model: 'x', messages: MESSAGES });
    expect(ok.choices[0]?.message.content).toBe(CONTENT);
  });

  it('refuses a request without api-key (401), without api-version (404) or with a malformed one (400)', async () => {
    const path = '/openai/deployments/d1/chat/completions';
    const noKey = await post(`${path}?api-version=2024-10-21`, { authorization: 'Bearer azure-key-1' });
    expect(noKey.status).toBe(401);
    expect(noKey.body.error?.code).toBe('401');
    const noVersion = await post(path, { 'api-key': 'azure-key-1' });
    expect(noVersion).toEqual({
      status: 404,
      body: { error: { code: '404', message: 'Resource not found' } },
    });
    const badVersion = await post(`${path}?api-version=latest`, { 'api-key': 'azure-key-1' });
    expect(badVersion.status).toBe(400);
    expect(badVersion.body.error?.code).toBe('BadRequest');
    const otherPath = await post('/openai/deployments/d1/embeddingz?api-version=2024-10-21', {
      'api-key': 'azure-key-1',
    });
    expect(otherPath.status).toBe(404);
    expect(mock.stats().requests).toBe(0);
  });

  it('lists models at /openai/models with an api-key and api-version', async () => {
    const res = await fetch(`${mock.origin}/openai/models?api-version=2024-10-21`, {
      headers: { 'api-key': 'azure-key-1' },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string }[] };
    expect(body.data.map((m) => m.id)).toContain('mock-gpt-4o-mini');
    const refused = await fetch(`${mock.origin}/openai/models?api-version=2024-10-21`);
    expect(refused.status).toBe(401);
    mock.setFaults({ byKey: { 'azure-key-2': { status: 503 } } });
    const faulted = await fetch(`${mock.origin}/openai/models?api-version=2024-10-21`, {
      headers: { 'api-key': 'azure-key-2' },
    });
    expect(faulted.status).toBe(503);
    expect(mock.stats().byKey).toEqual({ 'azure-key-1': 1, 'azure-key-2': 1 });
  });
});
