import { type APIRequestContext, expect, test } from '@playwright/test';
import OpenAI from 'openai';
import { admin } from './admin-api';
import { signIn } from './sign-in';

type PayloadAnswer = { payload: { request: string; response: string } | null };

/**
 * The request's captured payload, or null while its usage row has not landed (404) or was stored without one.
 * A 404 must be a value here, not a failed assertion: expect.poll does not retry a callback that throws, so one
 * early look (the row lands 0.05-0.8 s after the answer) used to end the poll at once, and every request of the
 * retry loop was looked at exactly once, too early, for 30 s (CI, 2026-12-06 18:30: 20+ request ids, one GET each).
 */
async function storedPayload(api: APIRequestContext, requestId: string): Promise<PayloadAnswer['payload']> {
  const response = await api.fetch(`/api/admin/v1/requests/${requestId}/payload`);
  if (response.status() === 404) return null;
  expect(response.ok(), `GET /requests/${requestId}/payload: ${await response.text()}`).toBe(true);
  return ((await response.json()) as PayloadAnswer).payload;
}

test("a key switched to capture payloads in the console shows its request's bodies in the explorer; another key's says not captured", async ({
  page,
}) => {
  await signIn(page, '/keys');
  const api = page.request;
  const created = await Promise.all(
    ['payload e2e captured', 'payload e2e plain'].map((name) =>
      admin<{ key: { id: string }; plaintext: string }>(api, 'POST', '/keys', { name }),
    ),
  );
  const [captured, plain] = created as [(typeof created)[0], (typeof created)[0]];

  // The switch in the keys table: off by default, on after one click.
  await page.goto('/keys');
  const row = page.locator(`[data-testid="key-row"][data-key-id="${captured.key.id}"]`);
  await expect(row.getByTestId('key-payloads-state')).toHaveText('off');
  await row.getByRole('button', { name: 'Capture payloads of payload e2e captured' }).click();
  await expect(row.getByTestId('key-payloads-state')).toHaveText('captured');

  const send = async (plaintext: string, content: string) => {
    const client = new OpenAI({
      apiKey: plaintext,
      baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
      maxRetries: 0,
    });
    const { data, response } = await client.chat.completions
      .create({ model: process.env.E2E_MODEL ?? 'chat-small', messages: [{ role: 'user', content }] })
      .withResponse();
    return {
      answer: data.choices[0]?.message.content ?? '',
      requestId: response.headers.get('x-request-id') ?? '',
    };
  };

  // The switch reaches the router through LISTEN/NOTIFY, so a request sent before it arrived is stored without
  // its payload: send until a request of the key is stored with it. A row lands 0.2-0.8 s after its answer on the
  // loaded e2e machine, so each request gets 10 s (see storedPayload: a 404 while the row is on its way is polled
  // again, not a failure). It also once failed after the rest of the suite because the usage writer closed its
  // connection after 30 s idle and, with PostgreSQL at max_connections, its rows waited in the spill for seconds;
  // the writer keeps its connection now (issue 14).
  let sent = { answer: '', requestId: '' };
  await expect(async () => {
    sent = await send(captured.plaintext, 'keep my words for the explorer');
    await expect.poll(() => storedPayload(api, sent.requestId), { timeout: 10_000 }).not.toBeNull();
  }).toPass({ timeout: 30_000 });

  await page.goto(`/requests/${sent.requestId}`);
  await expect(page.getByTestId('payload-request')).toContainText(
    '"content": "keep my words for the explorer"',
  );
  await expect(page.getByTestId('payload-response')).toContainText(sent.answer);
  await expect(page.getByTestId('payload-retention')).toContainText('kept 7 days');
  await expect(page.getByTestId('payload-request-truncated')).toHaveCount(0);

  const other = await send(plain.plaintext, 'do not keep this');
  await expect(async () => {
    await page.goto(`/requests/${other.requestId}`);
    await expect(page.getByTestId('request-id')).toHaveText(other.requestId, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('payload-not-captured')).toContainText('Not captured (enable');
  await expect(page.getByText('do not keep this')).toHaveCount(0);
});
