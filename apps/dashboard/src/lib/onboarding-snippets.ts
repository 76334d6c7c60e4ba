/**
 * The onboarding page's copyable snippets, generated for this router's public URL and a model it serves. The page
 * renders exactly these strings and `test/onboarding-snippets.happy.test.ts` runs the Node and curl ones against a
 * real router, so what an app team copies is what was tested.
 *
 * Every snippet reads the SDKs' own environment variables (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GEMINI_BASE_URL and their keys): moving an app onto the gateway, and back off it, is a change of
 * environment, not of code.
 */

export type SnippetLanguage = 'node' | 'python' | 'curl';
export type SnippetTask = 'chat' | 'stream' | 'tools';
export type SnippetFamily = 'openai' | 'anthropic' | 'gemini';

export interface Snippet {
  /** Stable id, e.g. `node-openai-chat` (the page's test ids and the test's names). */
  id: string;
  language: SnippetLanguage;
  family: SnippetFamily;
  task: SnippetTask;
  title: string;
  /** The text shown and copied. */
  code: string;
}

export interface OnboardingInput {
  /** The router's public origin, e.g. `https://ai-gateway.example.com` (no trailing slash needed). */
  routerUrl: string;
  /** A public model name the router serves. */
  model: string;
}

/** What the SDKs call their base URL and key; the router's URL for each family (OpenAI's ends in /v1). */
export interface EnvironmentVariable {
  name: string;
  value: string;
  note: string;
}

const KEY_PLACEHOLDER = 'sk-sy-…';

/** The router's origin without a trailing slash. */
export function routerOrigin(routerUrl: string): string {
  return routerUrl.replace(/\/+$/, '');
}

export function environmentVariables(routerUrl: string): EnvironmentVariable[] {
  const origin = routerOrigin(routerUrl);
  return [
    { name: 'OPENAI_BASE_URL', value: `${origin}/v1`, note: 'openai SDKs (Node, Python), curl below' },
    { name: 'OPENAI_API_KEY', value: KEY_PLACEHOLDER, note: 'a Switchyard key from the Keys page' },
    { name: 'ANTHROPIC_BASE_URL', value: origin, note: 'Anthropic SDKs: the origin, they add /v1/messages' },
    { name: 'ANTHROPIC_API_KEY', value: KEY_PLACEHOLDER, note: 'the same Switchyard key' },
    {
      name: 'GOOGLE_GEMINI_BASE_URL',
      value: origin,
      note: 'Google GenAI SDKs: the origin, they add /v1beta',
    },
    { name: 'GEMINI_API_KEY', value: KEY_PLACEHOLDER, note: 'the same Switchyard key' },
  ];
}

/** `export NAME=value` lines for a shell. */
export function environmentScript(routerUrl: string): string {
  return environmentVariables(routerUrl)
    .map(
      (variable) => `export ${variable.name}=${variable.value.includes('…') ? "'sk-sy-…'" : variable.value}`,
    )
    .join('\n');
}

/** Where each family's SDK goes by default: rolling back is pointing the base URL here again. */
export const PROVIDER_BASE_URLS = [
  { name: 'OPENAI_BASE_URL', value: 'https://api.openai.com/v1' },
  { name: 'ANTHROPIC_BASE_URL', value: 'https://api.anthropic.com' },
  { name: 'GOOGLE_GEMINI_BASE_URL', value: 'https://generativelanguage.googleapis.com' },
] as const;

export function rollbackScript(): string {
  return [
    '# Unset the base URLs (each SDK then calls its provider) or set them to the provider explicitly:',
    ...PROVIDER_BASE_URLS.map((entry) => `export ${entry.name}=${entry.value}`),
    '# …and put the provider keys back in OPENAI_API_KEY, ANTHROPIC_API_KEY and GEMINI_API_KEY.',
  ].join('\n');
}

const PROMPT = 'Say hello to Switchyard';

/** A single-quoted JavaScript string literal. */
function jsString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\n', '\\n')}'`;
}
const TOOL_PROMPT = 'What is the weather in Paris?';
const TOOL_PARAMETERS = `{
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      }`;

function nodeSnippets(model: string): Snippet[] {
  const m = jsString(model);
  const openaiClient = `import OpenAI from 'openai';

// Reads OPENAI_BASE_URL (the router, …/v1) and OPENAI_API_KEY (your Switchyard key).
const client = new OpenAI();`;
  return [
    {
      id: 'node-openai-chat',
      language: 'node',
      family: 'openai',
      task: 'chat',
      title: 'Chat (openai)',
      code: `${openaiClient}

const completion = await client.chat.completions.create({
  model: ${m},
  messages: [{ role: 'user', content: '${PROMPT}' }],
});
console.log(completion.choices[0].message.content);
console.log('request id:', completion._request_id);
`,
    },
    {
      id: 'node-openai-stream',
      language: 'node',
      family: 'openai',
      task: 'stream',
      title: 'Streaming (openai)',
      code: `${openaiClient}

const stream = await client.chat.completions.create({
  model: ${m},
  messages: [{ role: 'user', content: '${PROMPT}' }],
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? '');
  if (chunk.usage) console.log('\\ntokens:', chunk.usage.total_tokens);
}
`,
    },
    {
      id: 'node-openai-tools',
      language: 'node',
      family: 'openai',
      task: 'tools',
      title: 'Tools, one round trip (openai)',
      code: `${openaiClient}

const tools = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather of a city',
      parameters: ${TOOL_PARAMETERS},
    },
  },
];
const messages = [{ role: 'user', content: '${TOOL_PROMPT}' }];
const first = await client.chat.completions.create({ model: ${m}, messages, tools });
const call = first.choices[0].message.tool_calls?.[0];
if (!call) throw new Error('The model answered without calling the tool.');
console.log('tool call:', call.function.name, call.function.arguments);

// Run the tool, send its result back, read the final answer.
const result = { temperature_c: 21, conditions: 'sunny' };
messages.push(first.choices[0].message, {
  role: 'tool',
  tool_call_id: call.id,
  content: JSON.stringify(result),
});
const second = await client.chat.completions.create({ model: ${m}, messages, tools });
console.log(second.choices[0].message.content);
`,
    },
    {
      id: 'node-anthropic-chat',
      language: 'node',
      family: 'anthropic',
      task: 'chat',
      title: 'Messages (@anthropic-ai/sdk)',
      code: `import Anthropic from '@anthropic-ai/sdk';

// Reads ANTHROPIC_BASE_URL (the router's origin) and ANTHROPIC_API_KEY (your Switchyard key).
const client = new Anthropic();
const message = await client.messages.create({
  model: ${m},
  max_tokens: 256,
  messages: [{ role: 'user', content: '${PROMPT}' }],
});
console.log(message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''));
`,
    },
    {
      id: 'node-anthropic-stream',
      language: 'node',
      family: 'anthropic',
      task: 'stream',
      title: 'Messages, streaming (@anthropic-ai/sdk)',
      code: `import Anthropic from '@anthropic-ai/sdk';

const client = new Anthropic();
const stream = client.messages.stream({
  model: ${m},
  max_tokens: 256,
  messages: [{ role: 'user', content: '${PROMPT}' }],
});
stream.on('text', (text) => process.stdout.write(text));
await stream.finalMessage();
process.stdout.write('\\n');
`,
    },
    {
      id: 'node-gemini-chat',
      language: 'node',
      family: 'gemini',
      task: 'chat',
      title: 'generateContent (@google/genai)',
      code: `import { GoogleGenAI } from '@google/genai';

// Reads GOOGLE_GEMINI_BASE_URL (the router's origin) and GEMINI_API_KEY (your Switchyard key).
const ai = new GoogleGenAI({});
const response = await ai.models.generateContent({ model: ${m}, contents: '${PROMPT}' });
console.log(response.text);
`,
    },
    {
      id: 'node-gemini-stream',
      language: 'node',
      family: 'gemini',
      task: 'stream',
      title: 'generateContentStream (@google/genai)',
      code: `import { GoogleGenAI } from '@google/genai';

const ai = new GoogleGenAI({});
const stream = await ai.models.generateContentStream({ model: ${m}, contents: '${PROMPT}' });
for await (const chunk of stream) process.stdout.write(chunk.text ?? '');
process.stdout.write('\\n');
`,
    },
  ];
}

function pythonSnippets(model: string): Snippet[] {
  const m = JSON.stringify(model);
  const client = `from openai import OpenAI

# Reads OPENAI_BASE_URL (the router, …/v1) and OPENAI_API_KEY (your Switchyard key).
client = OpenAI()`;
  return [
    {
      id: 'python-openai-chat',
      language: 'python',
      family: 'openai',
      task: 'chat',
      title: 'Chat (openai)',
      code: `${client}

completion = client.chat.completions.create(
    model=${m},
    messages=[{"role": "user", "content": "${PROMPT}"}],
)
print(completion.choices[0].message.content)
`,
    },
    {
      id: 'python-openai-stream',
      language: 'python',
      family: 'openai',
      task: 'stream',
      title: 'Streaming (openai)',
      code: `${client}

stream = client.chat.completions.create(
    model=${m},
    messages=[{"role": "user", "content": "${PROMPT}"}],
    stream=True,
)
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        print(chunk.choices[0].delta.content, end="", flush=True)
print()
`,
    },
    {
      id: 'python-openai-tools',
      language: 'python',
      family: 'openai',
      task: 'tools',
      title: 'Tools, one round trip (openai)',
      code: `import json

${client}

tools = [{
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather of a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}]
messages = [{"role": "user", "content": "${TOOL_PROMPT}"}]
first = client.chat.completions.create(model=${m}, messages=messages, tools=tools)
call = first.choices[0].message.tool_calls[0]
print("tool call:", call.function.name, call.function.arguments)

messages.append(first.choices[0].message)
messages.append({
    "role": "tool",
    "tool_call_id": call.id,
    "content": json.dumps({"temperature_c": 21, "conditions": "sunny"}),
})
second = client.chat.completions.create(model=${m}, messages=messages, tools=tools)
print(second.choices[0].message.content)
`,
    },
    {
      id: 'python-anthropic-chat',
      language: 'python',
      family: 'anthropic',
      task: 'chat',
      title: 'Messages (anthropic)',
      code: `import anthropic

# Reads ANTHROPIC_BASE_URL (the router's origin) and ANTHROPIC_API_KEY (your Switchyard key).
client = anthropic.Anthropic()
message = client.messages.create(
    model=${m},
    max_tokens=256,
    messages=[{"role": "user", "content": "${PROMPT}"}],
)
print("".join(block.text for block in message.content if block.type == "text"))
`,
    },
    {
      id: 'python-gemini-chat',
      language: 'python',
      family: 'gemini',
      task: 'chat',
      title: 'generate_content (google-genai)',
      code: `import os

from google import genai
from google.genai import types

# The router's origin as the base URL; GEMINI_API_KEY holds your Switchyard key.
client = genai.Client(
    http_options=types.HttpOptions(base_url=os.environ["GOOGLE_GEMINI_BASE_URL"]),
)
response = client.models.generate_content(model=${m}, contents="${PROMPT}")
print(response.text)
`,
    },
  ];
}

function curlSnippets(model: string): Snippet[] {
  // Inside the shell's single quotes a ' must close the quote, add an escaped ' and reopen.
  const m = JSON.stringify(model).replaceAll("'", "'\\''");
  return [
    {
      id: 'curl-openai-chat',
      language: 'curl',
      family: 'openai',
      task: 'chat',
      title: 'Chat (OpenAI API)',
      code: `curl -sS "$OPENAI_BASE_URL/chat/completions" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": ${m}, "messages": [{"role": "user", "content": "${PROMPT}"}]}'
`,
    },
    {
      id: 'curl-openai-stream',
      language: 'curl',
      family: 'openai',
      task: 'stream',
      title: 'Streaming (OpenAI API, server-sent events)',
      code: `curl -sS -N "$OPENAI_BASE_URL/chat/completions" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": ${m}, "stream": true, "messages": [{"role": "user", "content": "${PROMPT}"}]}'
`,
    },
    {
      id: 'curl-openai-tools',
      language: 'curl',
      family: 'openai',
      task: 'tools',
      title: 'Tools, first half of the round trip (OpenAI API)',
      code: `curl -sS "$OPENAI_BASE_URL/chat/completions" \\
  -H "Authorization: Bearer $OPENAI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": ${m},
       "messages": [{"role": "user", "content": "${TOOL_PROMPT}"}],
       "tools": [{"type": "function", "function": {"name": "get_weather",
         "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}]}'
`,
    },
    {
      id: 'curl-anthropic-chat',
      language: 'curl',
      family: 'anthropic',
      task: 'chat',
      title: 'Messages (Anthropic API)',
      code: `curl -sS "$ANTHROPIC_BASE_URL/v1/messages" \\
  -H "x-api-key: $ANTHROPIC_API_KEY" \\
  -H "anthropic-version: 2023-06-01" \\
  -H "Content-Type: application/json" \\
  -d '{"model": ${m}, "max_tokens": 256, "messages": [{"role": "user", "content": "${PROMPT}"}]}'
`,
    },
    {
      id: 'curl-gemini-chat',
      language: 'curl',
      family: 'gemini',
      task: 'chat',
      title: 'generateContent (Gemini API)',
      code: `curl -sS "$GOOGLE_GEMINI_BASE_URL/v1beta/models/${encodeURIComponent(model)}:generateContent" \\
  -H "x-goog-api-key: $GEMINI_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"contents": [{"parts": [{"text": "${PROMPT}"}]}]}'
`,
    },
  ];
}

/** Every snippet, for one router URL and model: Node, then Python, then curl. */
export function onboardingSnippets(input: OnboardingInput): Snippet[] {
  return [...nodeSnippets(input.model), ...pythonSnippets(input.model), ...curlSnippets(input.model)];
}
