import { createCredentialCipher, newId } from '@switchyard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, setMockFaults, startStack, waitFor } from './stack';

// An Azure OpenAI account's active health check: the adapter's `GET {endpoint}/openai/models?api-version=…` with
// the `api-key` header, against the mock's Azure routes. A wrong URL would be a 404 and a bearer token a 401 (a
// credential mark): only the right call lets a 503 of that key open the breaker, and its recovery close it.

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    HEALTH_CHECK_INTERVAL_MS: '200',
    HEALTH_REPORT_MS: '200',
    BREAKER_COOLDOWN_MS: '1000',
  });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

describe('Azure OpenAI active health checks', () => {
  it('open the breaker of an Azure account its resource answers 503, and close it after recovery', async () => {
    const credential = 'sk-azure-health';
    await setMockFaults(stack, { byKey: { [credential]: { status: 503 } } });
    const cipher = createCredentialCipher(Buffer.from(stack.masterKey, 'hex'));
    const providerId = newId('prv');
    const accountId = newId('acc');
    await stack.prisma.provider.create({
      data: { id: providerId, name: 'azure-health', kind: 'azure_openai', baseUrl: stack.mockOrigin },
    });
    await stack.prisma.upstreamAccount.create({
      data: {
        id: accountId,
        providerId,
        name: 'azure-health',
        credentialCiphertext: cipher.encrypt(credential),
      },
    });
    await stack.addRoute({
      publicModel: 'azure-health-route',
      targets: [{ accountId, upstreamModel: 'hc-deployment' }],
    });

    await waitFor('the checks to open the Azure breaker', () =>
      stack.prisma.targetHealth.findFirst({ where: { accountId, model: 'hc-deployment', state: 'open' } }),
    );
    const account = await stack.prisma.upstreamAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(account.credentialRejectedAt).toBeNull();

    await setMockFaults(stack, {});
    await waitFor(
      'a passing check to close the breaker',
      () =>
        stack.prisma.targetHealth.findFirst({
          where: { accountId, model: 'hc-deployment', state: 'closed' },
        }),
      { timeoutMs: 10_000 },
    );
  }, 30_000);
});
