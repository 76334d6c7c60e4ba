import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMockProvider } from '../src/start-mock-provider';

/** Where the recorded samples live. */
export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** A fixed clock, so `created` fields do not change between recordings. */
const NOW_MS = 1_765_000_000_000;

interface Sample {
  /** File stem: `<protocol>.<case>`. */
  name: string;
  method?: 'POST' | 'GET';
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

const ANTHROPIC = { 'x-api-key': 'sk-ant-fixture', 'anthropic-version': '2023-06-01' };
const GEMINI = { 'x-goog-api-key': 'gm-fixture' };
const OPENAI = { authorization: 'Bearer sk-fixture' };
const WEATHER_SCHEMA = {
  type: 'object',
  properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
  required: ['location', 'unit'],
};
const CHAT = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hello to the mock' },
];

/** One request per protocol and shape the mock speaks, in a fixed order (ids come from a per-instance counter). */
const SAMPLES: Sample[] = [
  {
    name: 'openai-chat.completion',
    path: '/v1/chat/completions',
    headers: OPENAI,
    body: { model: 'mock-gpt-4o-mini', messages: CHAT },
  },
  {
    name: 'openai-chat.stream',
    path: '/v1/chat/completions',
    headers: OPENAI,
    body: {
      model: 'mock-gpt-4o-mini',
      messages: CHAT,
      stream: true,
      stream_options: { include_usage: true },
    },
  },
  {
    name: 'openai-chat.parallel-tools.stream',
    path: '/v1/chat/completions',
    headers: OPENAI,
    body: {
      model: 'mock-gpt-4o-mini',
      messages: [{ role: 'user', content: 'weather and time' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: WEATHER_SCHEMA } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
      ],
      tool_choice: 'required',
      stream: true,
    },
  },
  {
    name: 'openai-responses.response',
    path: '/v1/responses',
    headers: OPENAI,
    body: { model: 'mock-gpt-4o-mini', instructions: 'You are terse.', input: 'Say hello to the mock' },
  },
  {
    name: 'openai-responses.stream',
    path: '/v1/responses',
    headers: OPENAI,
    body: { model: 'mock-gpt-4o-mini', input: 'Say hello to the mock', stream: true },
  },
  {
    name: 'openai-responses.function-call.stream',
    path: '/v1/responses',
    headers: OPENAI,
    body: {
      model: 'mock-gpt-4o-mini',
      input: 'weather?',
      tools: [{ type: 'function', name: 'get_weather', parameters: WEATHER_SCHEMA, strict: true }],
      stream: true,
    },
  },
  {
    name: 'openai-embeddings.float',
    path: '/v1/embeddings',
    headers: OPENAI,
    body: {
      model: 'mock-text-embedding-3-small',
      input: ['first text', 'second'],
      encoding_format: 'float',
      dimensions: 4,
    },
  },
  {
    name: 'openai-embeddings.base64',
    path: '/v1/embeddings',
    headers: OPENAI,
    body: {
      model: 'mock-text-embedding-3-small',
      input: 'first text',
      encoding_format: 'base64',
      dimensions: 4,
    },
  },
  {
    name: 'openai-images.b64-json',
    path: '/v1/images/generations',
    headers: OPENAI,
    body: { model: 'gpt-image-1', prompt: 'a red fox', size: '16x16', quality: 'low' },
  },
  {
    name: 'openai-images.url',
    path: '/v1/images/generations',
    headers: OPENAI,
    body: { model: 'dall-e-3', prompt: 'a red fox', size: '1024x1024', response_format: 'url' },
  },
  {
    name: 'openai-completions.completion',
    path: '/v1/completions',
    headers: OPENAI,
    body: { model: 'mock-instruct', prompt: 'Say hello to the mock' },
  },
  {
    name: 'openai-completions.stream',
    path: '/v1/completions',
    headers: OPENAI,
    body: { model: 'mock-instruct', prompt: 'Say hello', max_tokens: 5, stream: true },
  },
  {
    name: 'openai.error-429',
    path: '/v1/chat/completions',
    headers: { ...OPENAI, 'x-mock-status': '429', 'x-mock-retry-after': '7' },
    body: { model: 'mock-gpt-4o-mini', messages: CHAT },
  },
  {
    name: 'anthropic-messages.message',
    path: '/v1/messages',
    headers: ANTHROPIC,
    body: {
      model: 'mock-claude',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    },
  },
  {
    name: 'anthropic-messages.stream',
    path: '/v1/messages',
    headers: ANTHROPIC,
    body: {
      model: 'mock-claude',
      max_tokens: 256,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
      stream: true,
    },
  },
  {
    name: 'anthropic-messages.tool-use.stream',
    path: '/v1/messages',
    headers: ANTHROPIC,
    body: {
      model: 'mock-claude',
      max_tokens: 256,
      tools: [
        { name: 'get_weather', input_schema: WEATHER_SCHEMA },
        { name: 'get_time', input_schema: { type: 'object', properties: {} } },
      ],
      tool_choice: { type: 'any' },
      messages: [{ role: 'user', content: 'weather and time' }],
      stream: true,
    },
  },
  {
    name: 'anthropic-messages.cache-write',
    path: '/v1/messages',
    headers: ANTHROPIC,
    body: {
      model: 'mock-claude',
      max_tokens: 256,
      system: [{ type: 'text', text: 'A long stable system prompt.', cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: 'question one' }],
    },
  },
  {
    name: 'anthropic-messages.count-tokens',
    path: '/v1/messages/count_tokens',
    headers: ANTHROPIC,
    body: {
      model: 'mock-claude',
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Say hello to the mock' }],
    },
  },
  {
    name: 'anthropic.error-529',
    path: '/v1/messages',
    headers: { ...ANTHROPIC, 'x-mock-status': '529' },
    body: { model: 'mock-claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] },
  },
  {
    name: 'gemini.generate-content',
    path: '/v1beta/models/mock-gemini:generateContent',
    headers: GEMINI,
    body: {
      systemInstruction: { parts: [{ text: 'You are terse.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Say hello to the mock' }] }],
    },
  },
  {
    name: 'gemini.stream-generate-content',
    path: '/v1beta/models/mock-gemini:streamGenerateContent?alt=sse',
    headers: GEMINI,
    body: { contents: [{ role: 'user', parts: [{ text: 'Say hello to the mock' }] }] },
  },
  {
    name: 'gemini.function-call',
    path: '/v1beta/models/mock-gemini:generateContent',
    headers: GEMINI,
    body: {
      contents: [{ role: 'user', parts: [{ text: 'weather?' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather', parameters: WEATHER_SCHEMA }] }],
    },
  },
  {
    name: 'gemini.embed-content',
    path: '/v1beta/models/mock-embedding:embedContent',
    headers: GEMINI,
    body: { content: { parts: [{ text: 'first text' }] }, outputDimensionality: 4 },
  },
  {
    name: 'gemini.batch-embed-contents',
    path: '/v1beta/models/mock-embedding:batchEmbedContents',
    headers: GEMINI,
    body: {
      requests: [
        {
          model: 'models/mock-embedding',
          content: { parts: [{ text: 'first text' }] },
          outputDimensionality: 4,
        },
      ],
    },
  },
  {
    name: 'gemini.count-tokens',
    path: '/v1beta/models/mock-gemini:countTokens',
    headers: GEMINI,
    body: { contents: [{ role: 'user', parts: [{ text: 'Say hello to the mock' }] }] },
  },
  {
    name: 'gemini.error-429',
    path: '/v1beta/models/mock-gemini:generateContent',
    headers: { ...GEMINI, 'x-mock-status': '429', 'x-mock-retry-after': '3' },
    body: { contents: [{ parts: [{ text: 'hi' }] }] },
  },
];

/** Response headers worth keeping in a fixture (the rest are Node's and change nothing). */
const KEPT_HEADERS = ['content-type', 'retry-after'];

/**
 * Runs every sample against a fresh mock and returns the fixture files by name: `<name>.json` with the
 * request and the response (status, kept headers, body), and for streams also `<name>.chunks.txt`, one
 * SSE event's data a line (`[DONE]` as is).
 */
export async function recordFixtures(): Promise<Map<string, string>> {
  const mock = await startMockProvider({ now: () => NOW_MS });
  const files = new Map<string, string>();
  try {
    for (const sample of SAMPLES) {
      const response = await fetch(`${mock.origin}${sample.path}`, {
        method: sample.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...sample.headers },
        body: sample.body === undefined ? undefined : JSON.stringify(sample.body),
      });
      const text = await response.text();
      const headers = Object.fromEntries(
        KEPT_HEADERS.flatMap((h) => (response.headers.has(h) ? [[h, response.headers.get(h)]] : [])),
      );
      const isStream = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
      const events = isStream
        ? text
            .split(/\r?\n\r?\n/)
            .filter((event) => event.trim() !== '')
            .map(
              (event) =>
                event
                  .split(/\r?\n/)
                  .find((line) => line.startsWith('data: '))
                  ?.slice('data: '.length) ?? '',
            )
        : [];
      const fixture = {
        request: {
          method: sample.method ?? 'POST',
          path: sample.path,
          headers: sample.headers,
          body: sample.body ?? null,
        },
        response: {
          status: response.status,
          headers,
          body: isStream
            ? `(${events.length} SSE events, see ${sample.name}.chunks.txt)`
            : (JSON.parse(text) as unknown),
        },
      };
      // The mock's own origin varies per run; fixtures name it by a placeholder.
      files.set(
        `${sample.name}.json`,
        `${JSON.stringify(fixture, null, 2).replaceAll(mock.origin, 'http://mock.invalid')}\n`,
      );
      if (isStream) files.set(`${sample.name}.chunks.txt`, `${events.join('\n')}\n`);
    }
  } finally {
    await mock.close();
  }
  return files;
}

async function main(): Promise<void> {
  const files = await recordFixtures();
  await mkdir(FIXTURES_DIR, { recursive: true });
  for (const [name, content] of files) await writeFile(join(FIXTURES_DIR, name), content);
  console.log(`wrote ${files.size} fixtures to ${FIXTURES_DIR}`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
