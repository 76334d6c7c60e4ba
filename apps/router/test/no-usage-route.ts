import { newId } from '@switchyard/db';
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { type Stack, setMockFaults } from './stack';

/** The public model whose upstream (the mock's `no-usage-upstream`) answers without any usage. */
export const NO_USAGE_MODEL = 'no-usage';

/**
 * Adds the route `no-usage` on the stack's account, priced 1 µUSD per input token and 2 per output token, to a
 * mock model that omits usage from bodies and streams: every request on it is settled from the router's estimate.
 */
export async function addNoUsageRoute(stack: Stack): Promise<void> {
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: 'no-usage-upstream',
      inputMicrosPerMillion: 1_000_000n,
      outputMicrosPerMillion: 2_000_000n,
      effectiveFrom: new Date(Date.now() - 3_600_000),
    },
  });
  await stack.addRoute({
    publicModel: NO_USAGE_MODEL,
    targets: [{ accountId: stack.accountId, upstreamModel: 'no-usage-upstream' }],
  });
  await setMockFaults(stack, { byModel: { 'no-usage-upstream': { omitUsage: true } } });
}

const tokenizer = new Tiktoken(o200kBase);

/**
 * What the usage row of a one-message chat request on `no-usage` must hold: o200k_base counts (OpenAI's chat recipe,
 * +3 for the message and +3 for the reply's priming), the cost at that route's prices, flagged estimated.
 */
export function estimatedRow(answer: { prompt: string; reply: string; stream: boolean }) {
  const inputTokens = 3 + 3 + tokenizer.encode(answer.prompt).length;
  const outputTokens = tokenizer.encode(answer.reply).length;
  return {
    stream: answer.stream,
    status: 'success',
    inputTokens,
    outputTokens,
    costMicros: BigInt(inputTokens + 2 * outputTokens),
    costEstimated: true,
  };
}
