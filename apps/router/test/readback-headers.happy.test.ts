import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Stack, startStack } from './stack';

// Names are free text in the console. A route or account named outside printable ASCII must still be served,
// and the readback headers must still name it (percent-encoded), not fail the answer the upstream already gave.

let stack: Stack;

beforeAll(async () => {
  stack = await startStack();
}, 60_000);
afterAll(async () => {
  await stack?.stop();
});

it('serves through an account and route named in any script, and the headers read back their names', async () => {
  const account = await stack.addAccount('cjk');
  const accountName = '主账户 (eu)\tβ';
  await stack.prisma.upstreamAccount.update({ where: { id: account.id }, data: { name: accountName } });
  const publicModel = '模型-小';
  await stack.addRoute({
    publicModel,
    targets: [{ accountId: account.id, upstreamModel: 'mock-gpt-4o-mini' }],
  });

  const { data, response } = await stack
    .client()
    .chat.completions.create({ model: publicModel, messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();

  expect(response.status).toBe(200);
  expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
  expect(decodeURIComponent(response.headers.get('x-switchyard-account') ?? '')).toBe(accountName);
  expect(decodeURIComponent(response.headers.get('x-switchyard-route') ?? '')).toBe(publicModel);
});
