import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, setMockFaults, startStack } from './stack';

/**
 * Issue 12 E8: first-byte and idle timeouts fire within 50 ms of their limit. undici's own headersTimeout /
 * bodyTimeout tick every 500 ms past 1 s: a 1.5 s first-byte timeout fired at 1.9–2.0 s. The margin here is
 * 150 ms so a loaded 2-core CI machine does not flake; the old behaviour is 400 ms and more late.
 */
let stack: Stack;
let client: OpenAI;

const LIMIT_MS = 1_500;
const MARGIN_MS = 150;

beforeAll(async () => {
  stack = await startStack();
  client = stack.client();
  const policies = {
    interactive: {
      rungs: {
        retrySameTarget: false,
        otherAccount: false,
        otherProvider: false,
        backupModel: false,
        waitAndRetry: false,
      },
      maxAttempts: 1,
      timeouts: { connectMs: 1_000, firstByteMs: LIMIT_MS, idleMs: LIMIT_MS, totalMs: 20_000 },
    },
  };
  await stack.addRoute({
    publicModel: 'precise-slow',
    targets: [{ accountId: stack.accountId, upstreamModel: 'slow-headers' }],
    policies,
  });
  await stack.addRoute({
    publicModel: 'precise-gappy',
    targets: [{ accountId: stack.accountId, upstreamModel: 'gappy-stream' }],
    policies,
  });
  await setMockFaults(stack, {
    byModel: { 'slow-headers': { latencyMs: 10_000 }, 'gappy-stream': { chunkGapMs: 10_000 } },
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('timeouts fire on time', () => {
  it('a 1.5 s first-byte timeout on a non-stream request answers 504 between 1.5 s and 1.65 s', async () => {
    const started = performance.now();
    const error = await client.chat.completions.create({ model: 'precise-slow', messages }).catch((e) => e);
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
  });

  it('a 1.5 s first-byte timeout on a stream whose headers never come answers 504 on time', async () => {
    const started = performance.now();
    const error = await client.chat.completions
      .create({ model: 'precise-slow', messages, stream: true })
      .catch((e) => e);
    const ms = performance.now() - started;
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(504);
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS);
    expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
  });

  it('a 1.5 s idle timeout ends a stalled stream with its error event on time', async () => {
    const stream = await client.chat.completions.create({ model: 'precise-gappy', messages, stream: true });
    let firstAt = 0;
    let error: unknown = null;
    try {
      for await (const _ of stream) firstAt ||= performance.now();
    } catch (e) {
      error = e;
    }
    const gap = performance.now() - firstAt;
    expect(firstAt).toBeGreaterThan(0);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('upstream_timeout');
    expect(gap).toBeGreaterThanOrEqual(LIMIT_MS - 20);
    expect(gap).toBeLessThan(LIMIT_MS + MARGIN_MS);
  });
});
