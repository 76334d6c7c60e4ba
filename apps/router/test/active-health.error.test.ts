import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, setMockFaults, startStack, waitFor } from './stack';

// Active health checks are off by default; this stack turns them on (every 200 ms) to see them find a dead
// account before any client request does, and close its breaker once it recovers, without client traffic.

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

describe('active health checks', () => {
  it('open the breaker of a failing account with no client traffic, and close it after recovery', async () => {
    const sick = await stack.addAccount('ahc-sick');
    const well = await stack.addAccount('ahc-well');
    const model = 'ahc-model';
    await setMockFaults(stack, { byKey: { [sick.credential]: { status: 503 } } });
    await stack.addRoute({
      publicModel: 'ahc-route',
      targets: [
        { accountId: sick.id, upstreamModel: model, tier: 0 },
        { accountId: well.id, upstreamModel: model, tier: 1 },
      ],
    });
    await waitFor('the checks to open the sick breaker', () =>
      stack.prisma.targetHealth.findFirst({ where: { accountId: sick.id, model, state: 'open' } }),
    );
    const healthy = await stack.prisma.targetHealth.findFirst({ where: { accountId: well.id, model } });
    expect(healthy?.state ?? 'closed').toBe('closed');

    // A client request now goes straight to the healthy tier: one attempt, no failover needed.
    const res = await fetch(`${stack.routerUrl}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ahc-route', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-account')).toBe('ahc-well');
    expect(res.headers.get('x-switchyard-attempts')).toBe('1');

    await setMockFaults(stack, {});
    await waitFor(
      'a passing check to close the breaker',
      () => stack.prisma.targetHealth.findFirst({ where: { accountId: sick.id, model, state: 'closed' } }),
      { timeoutMs: 10_000 },
    );
  }, 30_000);

  it('a 401 from a check marks the credential, as live traffic would', async () => {
    const revoked = await stack.addAccount('ahc-revoked');
    await setMockFaults(stack, { byKey: { [revoked.credential]: { status: 401 } } });
    await stack.addRoute({
      publicModel: 'ahc-401-route',
      targets: [{ accountId: revoked.id, upstreamModel: 'm' }],
    });
    const marked = await waitFor('the credential mark', () =>
      stack.prisma.upstreamAccount.findFirst({
        where: { id: revoked.id, credentialRejectedAt: { not: null } },
      }),
    );
    expect(marked.credentialError).toBe('health check answered 401');
  }, 30_000);
});
