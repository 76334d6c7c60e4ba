import { GoogleGenAI } from '@google/genai';
import { addPrices, addProvider } from './add-provider';
import type { Stack } from './stack';

/** The mock's Gemini reply to `PROMPT` (see packages/mock-provider README, chat replies). */
export const PROMPT = 'Say hello to the mock';
export const REPLY = 'Mock reply to: Say hello to the mock — this is a deterministic mock completion.';
/** The mock's counts for `PROMPT` as one user message: 3 + 5 words in, 15 words out, whatever the protocol. */
export const PROMPT_TOKENS = 8;
export const REPLY_TOKENS = 15;

/** Prices, micro-USD per million tokens, chosen so the costs are exact integers. */
export const GEMINI_PRICE = { input: 2_000_000n, output: 4_000_000n };
export const OPENAI_PRICE = { input: 1_000_000n, output: 2_000_000n };
/** What one PROMPT → REPLY exchange costs on each kind of upstream, micro-USD. */
export const GEMINI_COST = 8n * 2n + 15n * 4n; // 76
export const OPENAI_COST = 8n * 1n + 15n * 2n; // 38

/** The upstream model the mock fails with 503 (instance fault `byModel`). */
export const BUSY_GEMINI_MODEL = 'mock-gemini-busy';

export interface GeminiRoutes {
  /** A provider of kind `gemini` on the mock's origin, and its account. */
  geminiProviderId: string;
  geminiAccountId: string;
  geminiCredential: string;
}

/**
 * Adds a Gemini provider (kind `gemini`, base URL the mock's origin, as Google's would be
 * `https://generativelanguage.googleapis.com`) with one account, and the routes the Gemini matrix uses:
 * `gem-flash` → Gemini, `gem-on-openai` → the seeded OpenAI-compatible account, `gem-failover` → a Gemini target
 * the mock fails with 503, then the OpenAI-compatible one on the next tier. Prices for both.
 */
export async function addGeminiRoutes(stack: Stack): Promise<GeminiRoutes> {
  const gemini = await addProvider(stack, {
    name: 'mock-gemini',
    kind: 'gemini',
    baseUrl: stack.mockOrigin,
    models: ['mock-gemini-flash', BUSY_GEMINI_MODEL],
    price: GEMINI_PRICE,
    credential: 'AIza-upstream-gemini-test',
  });
  const geminiAccountId = gemini.accountId;
  await addPrices(stack, stack.providerId, ['mock-gpt-for-gemini'], OPENAI_PRICE);
  await stack.addRoute({
    publicModel: 'gem-flash',
    targets: [{ accountId: geminiAccountId, upstreamModel: 'mock-gemini-flash' }],
  });
  await stack.addRoute({
    publicModel: 'gem-on-openai',
    targets: [{ accountId: stack.accountId, upstreamModel: 'mock-gpt-for-gemini' }],
  });
  await stack.addRoute({
    publicModel: 'gem-failover',
    targets: [
      { accountId: geminiAccountId, upstreamModel: BUSY_GEMINI_MODEL, tier: 0 },
      { accountId: stack.accountId, upstreamModel: 'mock-gpt-for-gemini', tier: 1 },
    ],
  });
  return { geminiProviderId: gemini.providerId, geminiAccountId, geminiCredential: gemini.credential };
}

/** `@google/genai` pointed at the router, as an app changes only its base URL and key; no SDK retries. */
export function genai(stack: Stack, apiKey = stack.apiKey): GoogleGenAI {
  return new GoogleGenAI({
    apiKey,
    httpOptions: { baseUrl: stack.routerUrl, retryOptions: { attempts: 1 } },
  });
}
