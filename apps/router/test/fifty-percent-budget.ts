import { newId } from '@switchyard/db';
import { budgetedKey, type Stack } from './stack';

/** The public model every request of {@link fiftyPercentBudget} goes to. */
const MODEL = 'alert-model';

/**
 * A route `alert-model` on which every request costs exactly $0.05: $0.01 per output token and max_tokens 5
 * (the mock truncates its reply to it). Waits until the router serves it.
 */
export async function addFiveCentRoute(stack: Stack): Promise<void> {
  await stack.prisma.price.create({
    data: {
      id: newId('price'),
      providerId: stack.providerId,
      model: 'mock-alert',
      inputMicrosPerMillion: 0n,
      outputMicrosPerMillion: 10_000_000_000n,
      effectiveFrom: new Date(Date.now() - 3_600_000),
    },
  });
  await stack.addRoute({
    publicModel: MODEL,
    targets: [{ accountId: stack.accountId, upstreamModel: 'mock-alert' }],
  });
}

/**
 * A soft budget of $0.10 alerting only at 50 %, with `webhookUrl`, on a new key the router knows when this
 * returns, and the one $0.05 request (on {@link addFiveCentRoute}'s route) that crosses it: exactly one alert.
 */
export async function fiftyPercentBudget(
  stack: Stack,
  name: string,
  webhookUrl: string,
): Promise<{ budgetId: string; spend: () => Promise<unknown> }> {
  const key = await budgetedKey(stack, {
    name,
    mode: 'soft',
    limitMicros: 100_000n,
    alertThresholds: [50],
    webhookUrl,
  });
  const spend = () =>
    stack.client(key.plaintext).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'spend five cents' }],
      max_tokens: 5,
    });
  return { budgetId: key.budgetId, spend };
}
