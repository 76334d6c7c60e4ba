import Anthropic from '@anthropic-ai/sdk';
import { addPrices, addProvider } from './add-provider';
import type { Stack } from './stack';

/** Price of every model the Anthropic tests serve, micro-USD per million tokens (both providers). */
export const TEST_PRICE = { input: 3_000_000n, output: 15_000_000n };

/** The cost the router must record for these counts at {@link TEST_PRICE} (one rounding, half up). */
export function testCost(input: number, output: number): bigint {
  return (BigInt(input) * TEST_PRICE.input + BigInt(output) * TEST_PRICE.output + 500_000n) / 1_000_000n;
}

/**
 * Adds a provider of kind `anthropic` on the stack's mock (its Anthropic Messages routes; the base URL is the
 * mock's origin, as Anthropic's own is `https://api.anthropic.com`) with one account, and prices `models` on it
 * and `openAiModels` on the seeded OpenAI-compatible provider.
 */
export async function addAnthropicProvider(
  stack: Stack,
  models: string[],
  openAiModels: string[],
): Promise<{ providerId: string; accountId: string; credential: string }> {
  const added = await addProvider(stack, {
    name: 'mock-anthropic',
    kind: 'anthropic',
    baseUrl: stack.mockOrigin,
    models,
    price: TEST_PRICE,
    credential: 'sk-ant-upstream-test',
  });
  await addPrices(stack, stack.providerId, openAiModels, TEST_PRICE);
  return added;
}

/** `@anthropic-ai/sdk` pointed at the router (it appends `/v1/messages`), no retries. */
export function anthropicClient(stack: Stack, apiKey = stack.apiKey): Anthropic {
  return new Anthropic({ apiKey, baseURL: stack.routerUrl, maxRetries: 0 });
}
