import Anthropic from '@anthropic-ai/sdk';
import { addPrices, addProvider } from './add-provider';
import { type Stack, setMockFaults, startStack, UPSTREAM_MODEL } from './stack';

/** Price of every model the Anthropic tests serve, micro-USD per million tokens (both providers). */
export const TEST_PRICE = { input: 3_000_000n, output: 15_000_000n };

/** The cost the router must record for these counts at {@link TEST_PRICE} (one rounding, half up). */
export function testCost(input: number, output: number): bigint {
  return (BigInt(input) * TEST_PRICE.input + BigInt(output) * TEST_PRICE.output + 500_000n) / 1_000_000n;
}

/** The upstream model the Anthropic provider serves as it should. */
export const CLAUDE_MODEL = 'mock-claude';
/**
 * Upstream models the mock answers with a fault (its `byModel` faults match the upstream model): 503, 404, a stream
 * dropped after a few events, and one ended by Anthropic's own `event: error` (overloaded) after a few events.
 */
export const CLAUDE_DOWN = 'mock-claude-down';
export const CLAUDE_MISSING = 'mock-claude-missing';
export const CLAUDE_DROP = 'mock-claude-drop';
export const CLAUDE_ERROR_EVENT = 'mock-claude-error-event';
/** The same faults on the seeded OpenAI-compatible provider: 503, a stream dropped after a few chunks. */
export const GPT_DOWN = 'mock-gpt-down';
export const GPT_DROP = 'mock-gpt-drop';

/** Public models (routes) of {@link startAnthropicStack}, each named after where it sends a request. */
export const ON_ANTHROPIC = 'claude-route';
export const ON_OPENAI = 'claude-on-openai';
export const ANTHROPIC_THEN_OPENAI = 'anthropic-down-then-openai';
export const OPENAI_THEN_ANTHROPIC = 'openai-down-then-anthropic';
export const ANTHROPIC_MISSING = 'anthropic-missing-model';
export const DROPS_ON_ANTHROPIC = 'claude-drops';
export const ERROR_EVENT_ON_ANTHROPIC = 'claude-error-event';
export const DROPS_ON_OPENAI = 'claude-drops-on-openai';

export const PROMPT = 'Say hello to the gateway please';
/** The mock's answer to {@link PROMPT}, whichever protocol it speaks. */
export const REPLY = `Mock reply to: ${PROMPT} — this is a deterministic mock completion.`;

/** A provider added to a stack: its id, its one account, and that account's credential. */
export interface AddedAnthropicProvider {
  providerId: string;
  accountId: string;
  credential: string;
}

/**
 * Starts a stack (router, mock, database) serving Anthropic and OpenAI-compatible targets, for the tests of a
 * surface toward an Anthropic upstream (anthropic-messages natively, openai-chat translated): a provider of kind
 * `anthropic` on the mock ({@link addAnthropicProvider}), the faults above set on the mock, and a route per public
 * model above.
 */
export async function startAnthropicStack(): Promise<{ stack: Stack; anthropic: AddedAnthropicProvider }> {
  const stack = await startStack();
  try {
    return { stack, anthropic: await addAnthropicRoutes(stack) };
  } catch (error) {
    // The caller never holds a stack that failed to set up, so it cannot stop it.
    await stack.stop();
    throw error;
  }
}

async function addAnthropicRoutes(stack: Stack): Promise<AddedAnthropicProvider> {
  const anthropic = await addAnthropicProvider(
    stack,
    [CLAUDE_MODEL, CLAUDE_DOWN, CLAUDE_MISSING, CLAUDE_DROP, CLAUDE_ERROR_EVENT],
    [UPSTREAM_MODEL, GPT_DOWN, GPT_DROP],
  );
  await setMockFaults(stack, {
    byModel: {
      [CLAUDE_DOWN]: { status: 503 },
      [GPT_DOWN]: { status: 503 },
      [CLAUDE_MISSING]: { status: 404 },
      [CLAUDE_DROP]: { dropAfterChunks: 5 },
      [CLAUDE_ERROR_EVENT]: { errorEventAfterChunks: 5 },
      [GPT_DROP]: { dropAfterChunks: 5 },
    },
  });
  const onAnthropic = (upstreamModel: string, tier = 0) => ({
    accountId: anthropic.accountId,
    upstreamModel,
    tier,
  });
  const onOpenAi = (upstreamModel: string, tier = 0) => ({ accountId: stack.accountId, upstreamModel, tier });
  await stack.addRoute({ publicModel: ON_ANTHROPIC, targets: [onAnthropic(CLAUDE_MODEL)] });
  await stack.addRoute({ publicModel: ON_OPENAI, targets: [onOpenAi(UPSTREAM_MODEL)] });
  await stack.addRoute({ publicModel: ANTHROPIC_MISSING, targets: [onAnthropic(CLAUDE_MISSING)] });
  await stack.addRoute({
    publicModel: ANTHROPIC_THEN_OPENAI,
    targets: [onAnthropic(CLAUDE_DOWN), onOpenAi(UPSTREAM_MODEL, 1)],
  });
  await stack.addRoute({
    publicModel: OPENAI_THEN_ANTHROPIC,
    targets: [onOpenAi(GPT_DOWN), onAnthropic(CLAUDE_MODEL, 1)],
  });
  await stack.addRoute({ publicModel: DROPS_ON_ANTHROPIC, targets: [onAnthropic(CLAUDE_DROP)] });
  await stack.addRoute({ publicModel: ERROR_EVENT_ON_ANTHROPIC, targets: [onAnthropic(CLAUDE_ERROR_EVENT)] });
  await stack.addRoute({ publicModel: DROPS_ON_OPENAI, targets: [onOpenAi(GPT_DROP)] });
  return anthropic;
}

/**
 * Adds a provider of kind `anthropic` on the stack's mock (its Anthropic Messages routes; the base URL is the
 * mock's origin, as Anthropic's own is `https://api.anthropic.com`) with one account, and prices `models` on it
 * and `openAiModels` on the seeded OpenAI-compatible provider.
 */
async function addAnthropicProvider(
  stack: Stack,
  models: string[],
  openAiModels: string[],
): Promise<AddedAnthropicProvider> {
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
