import Anthropic from '@anthropic-ai/sdk';
import { ApiError } from '@google/genai';
import { generateApiKey, newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anthropicClient } from './anthropic-provider';
import { addGeminiRoutes, type GeminiRoutes, genai } from './gemini-stack';
import { type Stack, startStack, waitFor } from './stack';

/**
 * A key's RPM counts every request it makes on every surface: Gemini's countTokens and embedContent, and
 * Anthropic's count_tokens (answered by the router itself) take their slot like generateContent does, so a key
 * cannot flood the gateway through the routes that call no upstream, nor embed past its limit.
 */

let stack: Stack;
let routes: GeminiRoutes;

beforeAll(async () => {
  stack = await startStack();
  routes = await addGeminiRoutes(stack);
  await stack.addRoute({
    publicModel: 'gem-embed-limited',
    targets: [{ accountId: routes.geminiAccountId, upstreamModel: 'mock-embedding' }],
  });
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

/** A new key with this RPM, known to the router when this returns (the check spends one of its requests). */
async function keyWithRpm(rpm: number): Promise<string> {
  const key = generateApiKey();
  const id = newId('key');
  await stack.prisma.apiKey.create({
    data: { id, name: `rpm ${id}`, digest: key.digest, prefix: key.prefix, rpmLimit: rpm },
  });
  // GET /v1/models spends no RPM slot: it is how a client checks its key.
  await waitFor('the router to know the key', async () => {
    const res = await fetch(`${stack.routerUrl}/v1/models`, {
      headers: { authorization: `Bearer ${key.plaintext}` },
    });
    return res.status === 200;
  });
  return key.plaintext;
}

/** The HTTP status of each call, in order: 200 for a success, the error's status otherwise. */
async function statuses(calls: (() => Promise<unknown>)[]): Promise<number[]> {
  const out: number[] = [];
  for (const call of calls) {
    try {
      await call();
      out.push(200);
    } catch (error) {
      if (error instanceof ApiError) out.push(error.status);
      else if (error instanceof Anthropic.APIError) out.push(error.status ?? 0);
      else throw error;
    }
  }
  return out;
}

describe('RPM on the Gemini surface', () => {
  it('countTokens takes an RPM slot: rpm 3, the fourth count is a 429 in Google’s shape', async () => {
    const ai = genai(stack, await keyWithRpm(3));
    const count = () => ai.models.countTokens({ model: 'gem-flash', contents: 'How many tokens is this?' });
    expect(await statuses([count, count, count, count])).toEqual([200, 200, 200, 429]);
    const refused = await count().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).message).toContain('RESOURCE_EXHAUSTED');
  });

  it('embedContent takes an RPM slot: rpm 3, the fourth embedding is a 429', async () => {
    const ai = genai(stack, await keyWithRpm(3));
    const embed = () => ai.models.embedContent({ model: 'gem-embed-limited', contents: ['embed me'] });
    expect(await statuses([embed, embed, embed, embed])).toEqual([200, 200, 200, 429]);
  });

  it('counts and generations share one budget of requests', async () => {
    const ai = genai(stack, await keyWithRpm(3));
    const count = () => ai.models.countTokens({ model: 'gem-flash', contents: 'count' });
    const generate = () => ai.models.generateContent({ model: 'gem-flash', contents: 'hello' });
    expect(await statuses([count, generate, count, generate])).toEqual([200, 200, 200, 429]);
  });
});

describe('RPM on the Anthropic surface', () => {
  it('count_tokens takes an RPM slot: rpm 2, the third count is a 429 rate_limit_error', async () => {
    const claude = anthropicClient(stack, await keyWithRpm(2));
    const count = () =>
      claude.messages.countTokens({ model: 'gem-flash', messages: [{ role: 'user', content: 'count me' }] });
    expect(await statuses([count, count, count])).toEqual([200, 200, 429]);
    const refused = await count().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Anthropic.RateLimitError);
    expect((refused as InstanceType<typeof Anthropic.RateLimitError>).headers?.get('retry-after')).toMatch(
      /^\d+$/,
    );
  });
});
