import { fileURLToPath } from 'node:url';
import { pythonTestTitle, runProcess, testPython } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProvider } from './add-provider';
import {
  addCrossFamilyUpstreams,
  expectedCost,
  lastMockRequest as lastMockRequestOf,
  OTHER,
  PRICE,
  PROMPT,
  PROMPT_TOKENS,
  REPLY,
  REPLY_TOKENS,
  toolResultSeen,
} from './cross-family-stack';
import { addMockModelFaults, awaitUsageRow, type Stack, startStack } from './stack';

/**
 * The Python row of the conformance matrix (issue 13; `npm run compat` turns these names into
 * docs/compatibility.md): the official `openai` Python SDK calling the openai-chat surface, served by an
 * OpenAI-compatible, an Anthropic and a Gemini upstream (the mock speaking each). Each call is a Python process
 * running python/openai_chat_calls.py, as an app would; it prints what the SDK returned and the test asserts on it.
 * The Python is SWITCHYARD_TEST_PYTHON (one that can `import openai`); without one every test here is skipped
 * with the reason in its name, and the matrix shows the row as not run.
 */

const python = testPython('import openai', 'openai');
const SCRIPT = fileURLToPath(new URL('./python/openai_chat_calls.py', import.meta.url));
/** A Python process per call: interpreter start and the SDK's import take seconds on a loaded machine. */
const CALL_TIMEOUT_MS = 120_000;

type Kind = 'openai-compatible' | 'anthropic' | 'gemini';

interface Upstream {
  /** The usage row's `upstreamProtocol` for it. */
  protocol: string;
  providerName: string;
  providerId: string;
  model: string;
  upstreamModel: string;
  /** Routed to a target the mock answers 404 (the upstream does not know the model). */
  missingModel: string;
  /** Primary on this upstream answers 503; the backup is another protocol's. */
  failoverModel: string;
  failoverBackup: Kind;
  mockPath: RegExp;
}

let stack: Stack;
const upstreams = {} as Record<Kind, Upstream>;

beforeAll(async () => {
  if (!python.ok) return;
  stack = await startStack();
  const crossFamily = await addCrossFamilyUpstreams(stack);
  for (const kind of ['anthropic', 'gemini'] as const) {
    upstreams[kind] = { ...crossFamily[kind], failoverBackup: OTHER[kind] };
  }
  const compatible = await addProvider(stack, {
    name: 'py-compatible',
    kind: 'openai_compatible',
    baseUrl: stack.mockUrl,
    models: ['py-oc-upstream', 'py-oc-busy', 'py-oc-gone'],
    price: PRICE,
  });
  upstreams['openai-compatible'] = {
    protocol: 'openai-chat',
    providerName: 'py-compatible',
    providerId: compatible.providerId,
    model: 'py-oc',
    upstreamModel: 'py-oc-upstream',
    missingModel: 'py-oc-missing',
    failoverModel: 'py-oc-failover',
    failoverBackup: 'anthropic',
    mockPath: /^\/v1\/chat\/completions$/,
  };
  await stack.addRoute({
    publicModel: 'py-oc',
    targets: [{ accountId: compatible.accountId, upstreamModel: 'py-oc-upstream' }],
  });
  await stack.addRoute({
    publicModel: 'py-oc-missing',
    targets: [{ accountId: compatible.accountId, upstreamModel: 'py-oc-gone' }],
  });
  const claude = await stack.prisma.upstreamAccount.findFirstOrThrow({
    where: { providerId: upstreams.anthropic.providerId },
  });
  await stack.addRoute({
    publicModel: 'py-oc-failover',
    targets: [
      { accountId: compatible.accountId, upstreamModel: 'py-oc-busy', tier: 0 },
      { accountId: claude.id, upstreamModel: upstreams.anthropic.upstreamModel, tier: 1 },
    ],
  });
  await addMockModelFaults(stack, { 'py-oc-busy': { status: 503 }, 'py-oc-gone': { status: 404 } });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** Runs one call of the Python script against the router; its printed JSON, or an error with what it wrote. */
async function callPython(call: string, model: string, extraBody?: object): Promise<Record<string, unknown>> {
  if (!python.ok) throw new Error(python.reason);
  const args = [SCRIPT, call, model, PROMPT, ...(extraBody ? [JSON.stringify(extraBody)] : [])];
  // Only what an app would have: PATH, HOME and the two variables the SDK reads.
  const { code, stdout, stderr } = await runProcess(python.command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      OPENAI_BASE_URL: `${stack.routerUrl}/v1`,
      OPENAI_API_KEY: stack.apiKey,
    },
  });
  if (code !== 0) throw new Error(`python ${call} ${model} exited ${code}:\n${stderr}${stdout}`);
  try {
    return JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`python ${call} ${model} printed no JSON:\n${stdout}${stderr}`);
  }
}

interface ChatResult {
  sdk_version: string;
  content: string | null;
  finish_reason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  headers: Record<string, string | null>;
}

interface StreamResult extends Omit<ChatResult, 'content'> {
  deltas: string[];
}

const usageRow = (requestId: string | null) => awaitUsageRow(stack, requestId ?? '');

function cell(title: string, test: () => Promise<void>) {
  it.skipIf(!python.ok)(pythonTestTitle(python, title), test, CALL_TIMEOUT_MS * 2);
}

function pythonCells(kind: Kind) {
  const upstream = () => upstreams[kind];

  cell('non-stream: the answer comes back whole, with the readback headers', async () => {
    const result = (await callPython('chat', upstream().model)) as unknown as ChatResult;
    expect(result.sdk_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(result.content).toBe(REPLY);
    expect(result.finish_reason).toBe('stop');
    expect(result.headers['x-request-id']).toMatch(/^req_[0-9a-f]{32}$/);
    expect(result.headers['x-switchyard-provider']).toBe(upstream().providerName);
    expect(result.headers['x-switchyard-model']).toBe(upstream().upstreamModel);
    expect((await lastMockRequestOf(stack)).path).toMatch(upstream().mockPath);
  });

  cell(
    'stream: text arrives in several chunks that add up to the answer, usage last when asked',
    async () => {
      const result = (await callPython('stream', upstream().model)) as unknown as StreamResult;
      expect(result.deltas.length).toBeGreaterThan(3);
      expect(result.deltas.join('')).toBe(REPLY);
      expect(result.finish_reason).toBe('stop');
      expect(result.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: REPLY_TOKENS });
    },
  );

  cell('tools: the model calls a tool, the caller sends its result, the model answers with it', async () => {
    const result = (await callPython('tools', upstream().model)) as {
      first_finish_reason: string;
      call: { id: string; name: string; arguments: string };
      content: string;
      finish_reason: string;
    };
    expect(result.first_finish_reason).toBe('tool_calls');
    expect(result.call.name).toBe('get_weather');
    expect(JSON.parse(result.call.arguments)).toEqual({ city: 'mock' });
    expect(result.call.id.length).toBeGreaterThan(0);
    const seen = kind === 'openai-compatible' ? 'sunny-and-21C' : toolResultSeen(kind, 'sunny-and-21C');
    expect(result.content).toBe(
      `Mock reply using tool result: ${seen} — this is a deterministic mock completion.`,
    );
    expect(result.finish_reason).toBe('stop');
  });

  cell(
    'usage: one row with the reported tokens, the cost at the price in force, surface and upstream protocol',
    async () => {
      const result = (await callPython('chat', upstream().model)) as unknown as ChatResult;
      expect(result.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: REPLY_TOKENS });
      const row = await usageRow(result.headers['x-request-id'] ?? null);
      expect(row).toMatchObject({
        requestedModel: upstream().model,
        servedProviderId: upstream().providerId,
        servedModel: upstream().upstreamModel,
        status: 'success',
        httpStatus: 200,
        stream: false,
        inputTokens: PROMPT_TOKENS,
        outputTokens: REPLY_TOKENS,
        surface: 'openai-chat',
        upstreamProtocol: upstream().protocol,
        costEstimated: false,
      });
      expect(row.costMicros).toBe(expectedCost(PROMPT_TOKENS, REPLY_TOKENS));

      // A stream the caller asked no usage of is billed from the usage the router asked the upstream for.
      const streamed = (await callPython('stream-usage', upstream().model)) as unknown as StreamResult;
      expect(streamed.usage).toBeNull();
      const streamRow = await usageRow(streamed.headers['x-request-id'] ?? null);
      expect(streamRow).toMatchObject({
        stream: true,
        inputTokens: PROMPT_TOKENS,
        outputTokens: REPLY_TOKENS,
        upstreamProtocol: upstream().protocol,
        costEstimated: false,
      });
      expect(streamRow.costMicros).toBe(row.costMicros);
    },
  );

  cell("bad-model: the SDK's NotFoundError, status 404, with the request id", async () => {
    interface ErrorResult {
      class: string;
      is_not_found: boolean;
      status: number;
      code: string | null;
      request_id: string | null;
      message: string;
    }
    const unknown = (await callPython(
      'error',
      `${upstream().model}-does-not-exist`,
    )) as unknown as ErrorResult;
    expect(unknown).toMatchObject({ class: 'NotFoundError', is_not_found: true, status: 404 });
    expect(unknown.code).toBe('model_not_found');
    expect(unknown.request_id).toMatch(/^req_[0-9a-f]{32}$/);
    expect(unknown.message).toContain(`${upstream().model}-does-not-exist`);
    // The upstream's own 404 (a routed model it does not know), in OpenAI's shape whatever its protocol.
    const missing = (await callPython('error', upstream().missingModel)) as unknown as ErrorResult;
    expect(missing).toMatchObject({ class: 'NotFoundError', is_not_found: true, status: 404 });
    expect(missing.request_id).toMatch(/^req_[0-9a-f]{32}$/);
  });

  cell(
    'failover: the primary answers 503, an upstream of another protocol serves, the caller gets 200',
    async () => {
      const backup = upstreams[upstream().failoverBackup];
      const result = (await callPython('chat', upstream().failoverModel)) as unknown as ChatResult;
      expect(result.content).toBe(REPLY);
      expect(result.headers['x-switchyard-provider']).toBe(backup.providerName);
      const row = await usageRow(result.headers['x-request-id'] ?? null);
      expect(row.upstreamProtocol).toBe(backup.protocol);
      expect(row.upstreamProtocol).not.toBe(upstream().protocol);
      const attempts = row.attempts as { status: number | null; providerId: string }[];
      const tried = attempts.map((a) => [a.providerId, a.status]);
      // The primary may be retried once (503 is transient) before the ladder moves on.
      expect(tried.at(-1)).toEqual([backup.providerId, 200]);
      expect(tried.slice(0, -1)).toEqual(tried.slice(0, -1).map(() => [upstream().providerId, 503]));
      expect(tried.length).toBeGreaterThanOrEqual(2);
      expect(result.headers['x-switchyard-attempts']).toBe(String(tried.length));
    },
  );

  if (kind === 'openai-compatible') {
    cell("passthrough: a field sent with the SDK's extra_body reaches the upstream unchanged", async () => {
      const probe = { nested: [1, 'two', { three: null }] };
      const result = (await callPython('chat', upstream().model, {
        x_matrix_probe: probe,
        seed: 42,
      })) as unknown as ChatResult;
      expect(result.content).toBe(REPLY);
      const seen = await lastMockRequestOf(stack);
      expect(seen.path).toMatch(upstream().mockPath);
      expect(seen.body).toMatchObject({ model: upstream().upstreamModel, x_matrix_probe: probe, seed: 42 });
    });
  }
}

for (const kind of ['openai-compatible', 'anthropic', 'gemini'] as const) {
  describe(`openai (Python) × ${kind}`, () => {
    pythonCells(kind);
  });
}
