import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNoUsageRoute, estimatedRow, NO_USAGE_MODEL } from './no-usage-route';
import { rssBytes, watchRss } from './router-vitals';
import { awaitUsageRow, type Stack, startStack, waitFor } from './stack';

/**
 * Issue 15, footprint: the token-count thread's encoder holds ~150 MiB of RSS once an upstream omits usage. The
 * thread now ends after TOKEN_COUNT_IDLE_MS without a count, giving that memory back, and starts again on demand;
 * no usage row may be lost or left unestimated across a stop, even when a request comes as the idle timer fires.
 */
const IDLE_MS = 1_500;
const MIB = 1024 * 1024;

let stack: Stack;
let client: OpenAI;

interface Answer {
  id: string;
  prompt: string;
  reply: string;
  stream: boolean;
}

interface UsageCounter {
  running: boolean;
  starts: number;
}

async function usageCounter(): Promise<UsageCounter> {
  const ready = (await (await fetch(`${stack.routerUrl}/readyz`)).json()) as { usageCounter: UsageCounter };
  return ready.usageCounter;
}

async function ask(prompt: string, stream = false): Promise<Answer> {
  if (!stream) {
    const { data, response } = await client.chat.completions
      .create({ model: NO_USAGE_MODEL, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    expect(data.usage).toBeUndefined();
    return {
      id: response.headers.get('x-request-id') ?? '',
      prompt,
      reply: data.choices[0]?.message.content ?? '',
      stream,
    };
  }
  const { data, response } = await client.chat.completions
    .create({
      model: NO_USAGE_MODEL,
      messages: [{ role: 'user', content: prompt }],
      stream: true,
      stream_options: { include_usage: true },
    })
    .withResponse();
  let reply = '';
  for await (const chunk of data) {
    expect(chunk.usage ?? null).toBeNull();
    reply += chunk.choices[0]?.delta.content ?? '';
  }
  return { id: response.headers.get('x-request-id') ?? '', prompt, reply, stream };
}

/** The answer's usage row carries the o200k_base counts, flagged estimated. */
async function expectEstimatedRow(answer: Answer): Promise<void> {
  const expected = estimatedRow(answer);
  expect(expected.outputTokens).toBeGreaterThan(0);
  expect(await awaitUsageRow(stack, answer.id)).toMatchObject(expected);
}

const stopped = () =>
  waitFor('the token-count thread to stop for idling', async () => !(await usageCounter()).running || null, {
    timeoutMs: 30_000,
  });

beforeAll(async () => {
  stack = await startStack({ TOKEN_COUNT_IDLE_MS: String(IDLE_MS) });
  client = stack.client();
  await addNoUsageRoute(stack);
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('the token-count thread after TOKEN_COUNT_IDLE_MS without a count', () => {
  it('ends, giving the encoder’s memory back to the OS, and a later estimate starts it again with the same counts', async () => {
    const pid = stack.router.child.pid as number;
    // The thread started with the router (code loaded, no encoder) stops once idle too.
    await stopped();
    const idle = rssBytes(pid);
    const startsBefore = (await usageCounter()).starts;

    const watch = watchRss(pid);
    const first = await ask('Count these words for me, please: alpha beta gamma delta.');
    await expectEstimatedRow(first);
    const peak = watch.stop();
    // The encoder was built: the thread held well over 80 MiB (measured ~150).
    expect(peak - idle).toBeGreaterThan(80 * MIB);

    await stopped();
    // Given back, not merely freed inside V8: RSS is within a few MiB of the idle figure again.
    const after = await waitFor(
      'RSS back near its idle figure',
      async () => {
        const rss = rssBytes(pid);
        return rss - idle < 40 * MIB ? rss : null;
      },
      { timeoutMs: 10_000 },
    );
    console.log(
      `token-count thread RSS (MiB): idle ${(idle / MIB).toFixed(0)}, peak with encoder ${(peak / MIB).toFixed(0)}, after idle stop ${(after / MIB).toFixed(0)}`,
    );

    const second = await ask('And these: epsilon zeta eta theta, naïve café — 東京 🚀');
    await expectEstimatedRow(second);
    expect((await usageCounter()).starts).toBeGreaterThan(startsBefore + 1);
  }, 120_000);

  it('loses no row and leaves none unestimated when requests arrive around the idle stop', async () => {
    const startsBefore = (await usageCounter()).starts;
    const answers: Answer[] = [];
    let last = await ask('Round zero: the first of many counts.');
    answers.push(last);
    // Each round waits for the previous row (its count released the thread: the idle timer runs from about
    // then), then sends three requests — one streamed — at a delay spread across the idle period's end.
    const delays = [IDLE_MS - 300, IDLE_MS - 100, IDLE_MS, IDLE_MS + 50, IDLE_MS + 200, IDLE_MS + 600];
    for (const [round, delay] of delays.entries()) {
      await awaitUsageRow(stack, last.id);
      await new Promise((resolve) => setTimeout(resolve, delay));
      const batch = await Promise.all([
        ask(`Round ${round + 1}: ${'lorem ipsum dolor sit amet '.repeat(round + 1)}`),
        ask(`Round ${round + 1}, streamed, word ${round * 31}`, true),
        ask(`Round ${round + 1}, third: ${String(round).repeat(40)}`),
      ]);
      answers.push(...batch);
      last = batch[2] as Answer;
    }
    for (const answer of answers) await expectEstimatedRow(answer);
    // Requests did land after stops: new threads were started during the run.
    expect((await usageCounter()).starts).toBeGreaterThan(startsBefore);
  }, 240_000);
});
