import { createCredentialCipher, newId } from '@switchyard/db';
import type { Stack } from './stack';

/** micro-USD per million tokens. */
export interface TestPrice {
  input: bigint;
  output: bigint;
}

/**
 * Adds a provider of `kind` at `baseUrl` (e.g. the stack's mock, speaking every protocol) with one account and a
 * price for each of `models` (micro-USD per million tokens); the router learns of it with the route that uses
 * it (`stack.addRoute`).
 */
export async function addProvider(
  stack: Stack,
  options: {
    name: string;
    kind: 'openai' | 'openai_compatible' | 'azure_openai' | 'anthropic' | 'gemini';
    baseUrl: string;
    models: string[];
    price?: TestPrice;
    /** The account's upstream key; `sk-upstream-<name>` by default. */
    credential?: string;
  },
): Promise<{ providerId: string; accountId: string; credential: string }> {
  const cipher = createCredentialCipher(Buffer.from(stack.masterKey, 'hex'));
  const providerId = newId('prv');
  const accountId = newId('acc');
  const credential = options.credential ?? `sk-upstream-${options.name}`;
  await stack.prisma.provider.create({
    data: { id: providerId, name: options.name, kind: options.kind, baseUrl: options.baseUrl },
  });
  await stack.prisma.upstreamAccount.create({
    data: {
      id: accountId,
      providerId,
      name: `${options.name}-account`,
      credentialCiphertext: cipher.encrypt(credential),
    },
  });
  await addPrices(stack, providerId, options.models, options.price ?? { input: 150_000n, output: 600_000n });
  return { providerId, accountId, credential };
}

/** Prices each of `models` on the provider `providerId` (e.g. the stack's seeded one), in force since a minute ago. */
export async function addPrices(
  stack: Stack,
  providerId: string,
  models: string[],
  price: TestPrice,
): Promise<void> {
  for (const model of models) {
    await stack.prisma.price.create({
      data: {
        id: newId('price'),
        providerId,
        model,
        inputMicrosPerMillion: price.input,
        outputMicrosPerMillion: price.output,
        effectiveFrom: new Date(Date.now() - 60_000),
      },
    });
  }
}
