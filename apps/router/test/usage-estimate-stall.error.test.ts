import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoUsageRoute, estimatedRow } from './no-usage-route';
import { MIN_SAMPLES, sampleHealthz } from './router-vitals';
import { type Stack, startStack, waitFor } from './stack';

/**
 * Issue 12 B: "/healthz p99 stays under 50 ms" while upstreams omit usage. The router then counts tokens with
 * the o200k_base BPE; building its encoder (first estimate in a process) and encoding long prompts froze the
 * event loop for hundreds of ms to seconds. Measured in a fresh router process, so the first estimates (the
 * encoder's build) happen while /healthz is sampled.
 */
let stack: Stack;
let client: OpenAI;

/** Concurrent requests, each with a distinct prompt of this many characters of varied words. */
const REQUESTS = 8;
const PROMPT_CHARS = 120_000;

function longPrompt(seed: number): string {
  const words: string[] = [];
  let chars = 0;
  for (let i = 0; chars < PROMPT_CHARS; i++) {
    const word = ((i * 7919 + seed * 104_729) % 1_000_003).toString(36);
    words.push(word);
    chars += word.length + 1;
  }
  return words.join(' ').slice(0, PROMPT_CHARS);
}

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  await addNoUsageRoute(stack);
}, 180_000);
afterAll(async () => {
  await stack?.stop();
});

const usageRow = (requestId: string) =>
  waitFor(`usage row ${requestId}`, () => stack.prisma.usageEvent.findUnique({ where: { requestId } }), {
    timeoutMs: 45_000,
  });

describe('estimating usage an upstream omits', () => {
  it('keeps /healthz fast in a fresh router while its first estimates run, and bills the same counts, flagged', async () => {
    const prompts = Array.from({ length: REQUESTS }, (_, i) => longPrompt(i + 1));
    const healthz = await sampleHealthz(stack.routerUrl);
    let answers: { id: string; prompt: string; reply: string; stream: boolean }[];
    try {
      answers = await Promise.all([
        ...prompts.map(async (prompt) => {
          const { data, response } = await client.chat.completions
            .create({ model: 'no-usage', messages: [{ role: 'user', content: prompt }] })
            .withResponse();
          expect(data.usage).toBeUndefined();
          const reply = data.choices[0]?.message.content ?? '';
          return { id: response.headers.get('x-request-id') ?? '', prompt, reply, stream: false };
        }),
        (async () => {
          const prompt = 'Stream me something without usage';
          const { data, response } = await client.chat.completions
            .create({
              model: 'no-usage',
              messages: [{ role: 'user', content: prompt }],
              stream: true,
              stream_options: { include_usage: true },
            })
            .withResponse();
          let reply = '';
          for await (const chunk of data) reply += chunk.choices[0]?.delta.content ?? '';
          return { id: response.headers.get('x-request-id') ?? '', prompt, reply, stream: true };
        })(),
      ]);
      // The estimates run after the answers are sent: sample until every row is written.
      for (const answer of answers) await usageRow(answer.id);
    } catch (error) {
      await healthz.stop();
      throw error;
    }
    const reading = await healthz.stop();
    console.log('first estimates: healthz', JSON.stringify(reading));
    expect(reading.router.failures).toBe(0);
    expect(reading.router.count).toBeGreaterThanOrEqual(MIN_SAMPLES);
    expect(reading.router.p99).toBeLessThan(reading.limit);

    for (const answer of answers) {
      const expected = estimatedRow(answer);
      expect(expected.outputTokens).toBeGreaterThan(0);
      expect(await usageRow(answer.id)).toMatchObject(expected);
    }
  }, 120_000);
});
