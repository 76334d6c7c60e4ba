import { createServer, type Server } from 'node:http';
import { createCredentialCipher, newId } from '@switchyard/db';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, budgetedKey, type Stack, startStack, waitFor } from './stack';

/*
 * A hard budget holds only if the worst case reserved before forwarding bounds what the upstream then bills.
 * The upstream here bills as OpenAI does, and the way a hostile caller would want: every one of `n` choices
 * writes its full `max_tokens`, and the prompt counts every prompt-bearing field (tool schemas included), at
 * about 4 bytes a token.
 */
let stack: Stack;
let upstream: Server;

/** Starts the billing upstream; returns its OpenAI base URL. */
async function startBillingUpstream(): Promise<string> {
  upstream = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      const n = typeof body.n === 'number' ? body.n : 1;
      const max = (body.max_completion_tokens ?? body.max_tokens ?? 16) as number;
      const { messages, tools, functions, response_format } = body;
      const promptBytes = Buffer.byteLength(JSON.stringify({ messages, tools, functions, response_format }));
      const promptTokens = Math.ceil(promptBytes / 4);
      const content = Array.from({ length: max }, () => 'word').join(' ');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          id: 'chatcmpl-billing',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: body.model,
          choices: Array.from({ length: n }, (_, index) => ({
            index,
            message: { role: 'assistant', content },
            finish_reason: 'length',
          })),
          usage: {
            prompt_tokens: promptTokens,
            completion_tokens: n * max,
            total_tokens: promptTokens + n * max,
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/v1`;
}

/** A route to the billing upstream at the given per-token prices (micro-USD per million tokens). */
async function billedRoute(
  publicModel: string,
  prices: { input: bigint; output: bigint },
  providerId: string,
  accountId: string,
): Promise<void> {
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId,
      model: `${publicModel}-upstream`,
      inputMicrosPerMillion: prices.input,
      outputMicrosPerMillion: prices.output,
      effectiveFrom: new Date(Date.now() - 3_600_000),
    },
  });
  await stack.addRoute({
    publicModel,
    targets: [{ accountId, upstreamModel: `${publicModel}-upstream` }],
  });
}

/** A key under one hard budget, known to the router when this returns. */
async function hardBudgetKey(limitMicros: bigint): Promise<{ client: OpenAI; keyId: string }> {
  const key = await budgetedKey(stack, { name: `hard ${limitMicros}`, mode: 'hard', limitMicros });
  return { client: stack.client(key.plaintext), keyId: key.keyId };
}

/**
 * Sends the same request until the budget refuses one (at most `max`); returns how many were served and the
 * refusal.
 */
async function spendUntilRefused(
  create: () => Promise<unknown>,
  max: number,
): Promise<{ served: number; refusal: InstanceType<typeof OpenAI.APIError> | null }> {
  for (let served = 0; served < max; served++) {
    try {
      await create();
    } catch (error) {
      if (!(error instanceof OpenAI.APIError)) throw error;
      return { served, refusal: error };
    }
  }
  return { served: max, refusal: null };
}

async function recordedSpend(keyId: string, rows: number): Promise<bigint> {
  await waitFor(
    'usage rows',
    async () => (await stack.prisma.usageEvent.count({ where: { keyId } })) === rows,
  );
  const sum = await stack.prisma.usageEvent.aggregate({ where: { keyId }, _sum: { costMicros: true } });
  return sum._sum.costMicros ?? 0n;
}

beforeAll(async () => {
  stack = await startStack();
  const baseUrl = await startBillingUpstream();
  const providerId = newId('prv');
  const accountId = newId('acc');
  const cipher = createCredentialCipher(Buffer.from(stack.masterKey, 'hex'));
  await stack.prisma.provider.create({
    data: { id: providerId, name: 'billing upstream', kind: 'openai_compatible', baseUrl },
  });
  await stack.prisma.upstreamAccount.create({
    data: {
      id: accountId,
      providerId,
      name: 'billing',
      credentialCiphertext: cipher.encrypt('sk-billing'),
    },
  });
  // Output only: $0.0025 a token, so 5 tokens × 5 choices cost $0.0625.
  await billedRoute('n-model', { input: 0n, output: 2_500_000_000n }, providerId, accountId);
  // Input only: $1 per million tokens.
  await billedRoute('tools-model', { input: 1_000_000n, output: 0n }, providerId, accountId);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('hard budget worst case', () => {
  it('multiplies the output bound by n: the second n: 5 request is refused, spend stays within the limit', async () => {
    const limit = 100_000n; // $0.10
    const { client, keyId } = await hardBudgetKey(limit);
    const { served, refusal } = await spendUntilRefused(
      () =>
        client.chat.completions.create({
          model: 'n-model',
          messages: [{ role: 'user', content: 'five answers please' }],
          max_tokens: 5,
          n: 5,
        }),
      4,
    );
    expect(refusal?.status).toBe(429);
    expect(refusal?.code).toBe('budget_exceeded');
    expect(served).toBe(1);
    // One served request: 5 choices × 5 tokens × 2 500 µ$ = 62 500 µ$.
    const spend = await recordedSpend(keyId, served + 1);
    expect(spend).toBe(62_500n);
    expect(spend).toBeLessThanOrEqual(limit);
  });

  it('counts tool schemas in the prompt bound: 44 KB of tools never spends past the limit', async () => {
    const limit = 50_000n; // $0.05
    const { client, keyId } = await hardBudgetKey(limit);
    // 150 tools of ~300 bytes each, as an agent framework sends them.
    const tools = Array.from({ length: 150 }, (_, i) => ({
      type: 'function' as const,
      function: {
        name: `lookup_record_${i}`,
        description: `Looks up record kind ${i} in the customer database and returns every field it has.`,
        parameters: {
          type: 'object',
          properties: { id: { type: 'string', description: 'The record id, as shown in the console.' } },
          required: ['id'],
        },
      },
    }));
    expect(Buffer.byteLength(JSON.stringify(tools))).toBeGreaterThan(44_000);
    expect(Buffer.byteLength(JSON.stringify(tools))).toBeLessThan(46_000);
    const { served, refusal } = await spendUntilRefused(
      () =>
        client.chat.completions.create({
          model: 'tools-model',
          messages: [{ role: 'user', content: 'which tool fits?' }],
          tools,
          max_tokens: 1,
        }),
      10,
    );
    expect(refusal?.status).toBe(429);
    expect(refusal?.code).toBe('budget_exceeded');
    expect(served).toBeGreaterThanOrEqual(1);
    const spend = await recordedSpend(keyId, served + 1);
    // Each served request was billed ~11 000 prompt tokens (~$0.011): more than a message-text bound holds.
    expect(spend / BigInt(served)).toBeGreaterThan(10_000n);
    expect(spend).toBeLessThanOrEqual(limit);
  });

  it('refuses an n that is not a positive integer up to 128, naming the field', async () => {
    for (const n of [0, -1, 1.5, 129]) {
      const error = await apiError(
        stack.client().chat.completions.create({
          model: 'n-model',
          messages: [{ role: 'user', content: 'hi' }],
          n,
        }),
      );
      expect(error.status).toBe(400);
      expect(error.param).toBe('n');
    }
  });
});
