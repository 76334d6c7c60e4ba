import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AZURE_API_VERSION } from './azure-deployment-url';
import { azureOpenAiAdapter } from './azure-openai-adapter';

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function build(baseUrl: string, deployment: string, body: Record<string, unknown>, stream = false) {
  const built = azureOpenAiAdapter.buildChatCall({
    baseUrl,
    credential: 'azure-secret-key',
    upstreamModel: deployment,
    body,
    form: 'native',
    stream,
  });
  if (!built.ok) throw new Error('build failed');
  return built.value;
}

describe('azureOpenAiAdapter.buildChatCall', () => {
  const body = { model: 'public', messages: [{ role: 'user', content: 'hi' }], unknown_field: { a: 1 } };

  it('posts to the deployment URL with the default api-version, the key in api-key and no bearer', () => {
    const call = build('https://res.openai.azure.com', 'gpt4o-prod', body);
    expect(call.url).toBe(
      `https://res.openai.azure.com/openai/deployments/gpt4o-prod/chat/completions?api-version=${DEFAULT_AZURE_API_VERSION}`,
    );
    expect(call.headers).toEqual({
      'api-key': 'azure-secret-key',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    // Passed through: unknown fields survive, the model names the deployment, the caller's body is untouched.
    expect(JSON.parse(call.body)).toEqual({ ...body, model: 'gpt4o-prod' });
    expect(body.model).toBe('public');
  });

  it("takes the base URL's api-version, keeps its other parameters, and accepts a trailing /openai", () => {
    expect(build('https://res.openai.azure.com/?api-version=2025-01-01-preview', 'd', body).url).toBe(
      'https://res.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-01-01-preview',
    );
    expect(build('https://apim.example.com/aoai/openai?subscription=s1', 'd', body).url).toBe(
      `https://apim.example.com/aoai/openai/deployments/d/chat/completions?subscription=s1&api-version=${DEFAULT_AZURE_API_VERSION}`,
    );
  });

  it('always asks a stream for usage, keeping the caller’s stream options', () => {
    const call = build('https://res.openai.azure.com', 'd', { ...body, stream_options: { x: 1 } }, true);
    expect(JSON.parse(call.body).stream_options).toEqual({ x: 1, include_usage: true });
    expect(call.headers.accept).toBe('text/event-stream');
  });

  it('puts any deployment name into one path segment, and never the credential into the URL', () => {
    fc.assert(
      // `.` and `..` are dot segments every URL parser collapses (Azure's deployment names cannot be either).
      fc.property(
        fc.string({ minLength: 1 }).filter((d) => d !== '.' && d !== '..'),
        (deployment) => {
          const url = new URL(build('https://res.openai.azure.com', deployment, body).url);
          const segments = url.pathname.split('/');
          expect(segments).toHaveLength(6);
          expect(decodeURIComponent(segments[3] as string)).toBe(deployment);
          expect(url.searchParams.get('api-version')).toBe(DEFAULT_AZURE_API_VERSION);
          expect(url.href).not.toContain('azure-secret-key');
        },
      ),
    );
  });

  it('health-checks the model list with the api-key header', () => {
    expect(
      azureOpenAiAdapter.buildHealthCheck({ baseUrl: 'https://res.openai.azure.com', credential: 'k' }),
    ).toEqual({
      url: `https://res.openai.azure.com/openai/models?api-version=${DEFAULT_AZURE_API_VERSION}`,
      headers: { 'api-key': 'k' },
    });
  });
});

describe("azureOpenAiAdapter reads Azure's answers (content-filter fields and all)", () => {
  it('reads usage and text of a completion', () => {
    const completion = JSON.parse(fixture('azure-chat.completion.json'));
    expect(azureOpenAiAdapter.readUsage(completion)).toMatchObject({
      inputTokens: 19,
      outputTokens: 10,
      totalTokens: 29,
      cachedInputTokens: 0,
      malformed: false,
    });
    expect(azureOpenAiAdapter.readResponseText(completion)).toBe('Hello! How can I help you today?');
  });

  it('reads a stream: the prompt-filter chunk is not usage, the usage chunk is usage only, [DONE] ends it', () => {
    const events = fixture('azure-chat.stream.chunks.txt').trim().split('\n');
    const infos = events.map((data) => azureOpenAiAdapter.readStreamEvent(data));
    expect(infos[0]).toEqual({ usage: null, usageOnly: false, done: false });
    expect(infos.at(-2)).toMatchObject({ usage: { inputTokens: 19, outputTokens: 2 }, usageOnly: true });
    expect(infos.at(-1)?.done).toBe(true);
    expect(infos.filter((info) => info.usage !== null)).toHaveLength(1);
    expect(events.map((data) => azureOpenAiAdapter.readStreamText(data)).join('')).toBe('Hello!');
  });

  it("reads Azure's error object (a code, no type)", () => {
    expect(azureOpenAiAdapter.readError(fixture('azure.error-404.json'))).toMatchObject({
      code: 'DeploymentNotFound',
      type: null,
      param: null,
    });
  });
});

describe('azureOpenAiAdapter embeddings', () => {
  it('posts OpenAI embeddings to the deployment URL with api-key, the body as sent with the deployment as model', () => {
    const family = azureOpenAiAdapter.unary?.embeddings;
    if (family === undefined) throw new Error('Azure serves embeddings');
    expect(azureOpenAiAdapter.protocols.embeddings).toBe('openai-embeddings');
    const body = { model: 'public-embed', input: ['a', 'b'], encoding_format: 'base64', dimensions: 64 };
    const built = family.buildCall({
      baseUrl: 'https://res.openai.azure.com/openai?api-version=2025-01-01-preview',
      credential: 'azure-secret-key',
      upstreamModel: 'embed/prod',
      body,
      form: 'native',
    });
    if (!built.ok) throw new Error('build failed');
    expect(built.value.url).toBe(
      'https://res.openai.azure.com/openai/deployments/embed%2Fprod/embeddings?api-version=2025-01-01-preview',
    );
    expect(built.value.headers).toEqual({
      'api-key': 'azure-secret-key',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(JSON.parse(built.value.body)).toEqual({ ...body, model: 'embed/prod' });
    expect(family.readUsage({ usage: { prompt_tokens: 7, total_tokens: 7 } })).toMatchObject({
      inputTokens: 7,
    });
  });
});
