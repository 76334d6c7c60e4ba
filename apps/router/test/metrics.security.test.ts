import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './stack';

const TOKEN = 'metrics-token-for-security-0123456789';
let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ROUTER_METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await stack?.stop();
});

describe('a token-protected /metrics', () => {
  const scrape = (authorization?: string) =>
    fetch(`${stack.routerUrl}/metrics`, authorization ? { headers: { authorization } } : {});

  it('refuses a scrape without the token, with a wrong one, or with an API key', async () => {
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${TOKEN}x`,
      TOKEN,
      `Bearer ${stack.apiKey}`,
    ]) {
      const res = await scrape(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(await res.text()).not.toContain('switchyard_');
    }
  });

  it('answers the scrape that presents it', async () => {
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('# TYPE switchyard_requests_total counter');
  });
});
