import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  awaitUsageRow,
  SEEDED_MODEL,
  SEEDED_PRICE,
  type Stack,
  startStack,
  UPSTREAM_MODEL,
  waitFor,
} from './stack';

let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
});
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'Say hello to the gateway please' }];

function expectedCost(input: number, output: number): bigint {
  const scaled = BigInt(input) * SEEDED_PRICE.input + BigInt(output) * SEEDED_PRICE.output;
  return (scaled + 500_000n) / 1_000_000n;
}

async function usageRow(requestId: string) {
  return awaitUsageRow(stack, requestId);
}

describe('POST /v1/chat/completions through the router', () => {
  it('answers a non-streaming request with the upstream content and records billed usage', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages })
      .withResponse();
    const content = data.choices[0]?.message.content ?? '';
    expect(content).toContain('Say hello to the gateway please');
    expect(data.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);

    const requestId = response.headers.get('x-request-id') ?? '';
    expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(response.headers.get('x-switchyard-route')).toBe(SEEDED_MODEL);
    expect(response.headers.get('x-switchyard-provider')).toBe('mock');
    expect(response.headers.get('x-switchyard-model')).toBe(UPSTREAM_MODEL);
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');

    const row = await usageRow(requestId);
    expect(row).toMatchObject({
      keyId: stack.apiKeyId,
      requestedModel: SEEDED_MODEL,
      routeId: stack.routeId,
      servedProviderId: stack.providerId,
      servedAccountId: stack.accountId,
      servedModel: UPSTREAM_MODEL,
      status: 'success',
      httpStatus: 200,
      stream: false,
      inputTokens: data.usage?.prompt_tokens,
      outputTokens: data.usage?.completion_tokens,
      // The OpenAI SDK's call came in by the openai-chat surface and went upstream in the same protocol.
      surface: 'openai-chat',
      upstreamProtocol: 'openai-chat',
    });
    expect(row.costMicros).toBe(expectedCost(data.usage!.prompt_tokens, data.usage!.completion_tokens));
    expect(row.costMicros).toBeGreaterThan(0n);
    expect(row.attempts).toHaveLength(1);
  });

  it('accepts a route alias', async () => {
    const data = await client.chat.completions.create({ model: 'chat-small-alias', messages });
    expect(data.choices[0]?.message.content).toContain('Say hello');
  });

  it('streams several chunks whose content equals the non-streaming content, usage recorded', async () => {
    const whole = await client.chat.completions.create({ model: SEEDED_MODEL, messages });
    const { data: stream, response } = await client.chat.completions
      .create({ model: SEEDED_MODEL, messages, stream: true })
      .withResponse();
    let content = '';
    let chunks = 0;
    let sawUsage = false;
    for await (const chunk of stream) {
      chunks++;
      content += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(content).toBe(whole.choices[0]?.message.content);
    // The gateway asked the upstream for usage, but the caller did not: the extra chunk is not forwarded.
    expect(sawUsage).toBe(false);

    const row = await usageRow(response.headers.get('x-request-id') ?? '');
    expect(row.stream).toBe(true);
    expect(row.status).toBe('success');
    expect(row.inputTokens).toBe(whole.usage?.prompt_tokens);
    expect(row.outputTokens).toBe(whole.usage?.completion_tokens);
    expect(row.costMicros).toBe(expectedCost(row.inputTokens, row.outputTokens));
    expect(row.ttftMs).not.toBeNull();
  });

  it('forwards the usage chunk when the caller asks for it', async () => {
    const stream = await client.chat.completions.create({
      model: SEEDED_MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const usages = [];
    for await (const chunk of stream) if (chunk.usage) usages.push(chunk.usage);
    expect(usages).toHaveLength(1);
    expect(usages[0]?.completion_tokens).toBeGreaterThan(0);
  });

  it('round-trips tools: tool call out, tool result in, answer using it', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'get_weather',
          description: 'Weather for a city',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const first = await client.chat.completions.create({
      model: SEEDED_MODEL,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      tool_choice: 'auto',
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.function.name).toBe('get_weather');
    expect(JSON.parse(call.function.arguments)).toHaveProperty('city');

    // The streamed tool call reassembles to the same call.
    const stream = await client.chat.completions.create({
      model: SEEDED_MODEL,
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools,
      stream: true,
    });
    let name = '';
    let args = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.tool_calls?.[0];
      name += delta?.function?.name ?? '';
      args += delta?.function?.arguments ?? '';
    }
    expect(name).toBe('get_weather');
    expect(args).toBe(call.function.arguments);

    const second = await client.chat.completions.create({
      model: SEEDED_MODEL,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: 'sunny-and-21C' },
      ],
      tools,
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toContain('sunny-and-21C');
  });

  it('lists only the models the key may use', async () => {
    const all = await client.models.list();
    expect(all.data.map((m) => m.id)).toEqual([SEEDED_MODEL]);
    const restricted = await stack.createKey({ allowedModels: ['something-else'] });
    const none = await stack.client(restricted.plaintext).models.list();
    expect(none.data).toEqual([]);
  });

  it('records exactly one usage row per request sent, with the provider-reported tokens', async () => {
    // Let rows of earlier tests land first, so the before/after difference counts only this test.
    await waitFor('earlier usage to be written', async () => {
      const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as { usagePending: number };
      return ready.usagePending === 0;
    });
    const before = await stack.prisma.usageEvent.count({ where: { keyId: stack.apiKeyId } });
    const sent = 12;
    const ids = await Promise.all(
      Array.from({ length: sent }, async (_, i) => {
        const content = `request number ${i} ${'x '.repeat(i)}`;
        if (i % 2 === 0) {
          const { data, response } = await client.chat.completions
            .create({ model: SEEDED_MODEL, messages: [{ role: 'user', content }], stream: true })
            .withResponse();
          for await (const chunk of data) expect(chunk.object).toBe('chat.completion.chunk');
          return response.headers.get('x-request-id') ?? '';
        }
        const { response } = await client.chat.completions
          .create({ model: SEEDED_MODEL, messages: [{ role: 'user', content }] })
          .withResponse();
        return response.headers.get('x-request-id') ?? '';
      }),
    );
    await waitFor(
      'all usage rows',
      async () => (await stack.prisma.usageEvent.count({ where: { requestId: { in: ids } } })) === sent,
    );
    const after = await stack.prisma.usageEvent.count({ where: { keyId: stack.apiKeyId } });
    expect(after - before).toBe(sent);
    const rows = await stack.prisma.usageEvent.findMany({ where: { requestId: { in: ids } } });
    for (const row of rows) {
      expect(row.status).toBe('success');
      expect(row.inputTokens).toBeGreaterThan(0);
      expect(row.costMicros).toBe(expectedCost(row.inputTokens, row.outputTokens));
    }
    // Longer prompts were billed for more input tokens: the figures come from the upstream, not a constant.
    expect(new Set(rows.map((r) => r.inputTokens)).size).toBeGreaterThan(5);
    const key = await stack.prisma.apiKey.findUniqueOrThrow({ where: { id: stack.apiKeyId } });
    expect(key.lastUsedAt).not.toBeNull();
  });
});
