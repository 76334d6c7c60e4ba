import { expect, test } from '@playwright/test';
import OpenAI from 'openai';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

test('sign in, create a key, call the router with it, see the request in the usage table', async ({
  page,
}) => {
  const model = process.env.E2E_MODEL ?? '';

  await signIn(page, '/keys');
  const keyName = `e2e key ${Date.now()}`;
  const plaintext = await createKeyInConsole(page, keyName);
  await expect(page.getByRole('row').filter({ hasText: keyName })).toBeVisible();

  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });
  // The router learns about the new key through LISTEN/NOTIFY; a fresh key may take a moment to arrive.
  let completion: OpenAI.Chat.Completions.ChatCompletion | null = null;
  await expect(async () => {
    completion = await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hello from e2e' }],
    });
  }).toPass({ timeout: 5_000 });
  expect(completion!.choices[0]?.message.content).toContain('hello from e2e');

  await page.goto('/usage');
  const row = page.getByTestId('usage-row').filter({ hasText: model }).filter({ hasText: 'success' });
  await expect(row.first()).toBeVisible({ timeout: 15_000 });
  await expect(row.first()).toContainText(keyName);
  // OpenAI chat in, OpenAI-compatible upstream out: one protocol, shown once.
  await expect(row.first().getByTestId('usage-protocol')).toHaveText('openai-chat');
  const mine = page.getByTestId('usage-row').filter({ hasText: keyName });
  await page.getByLabel('Protocol').selectOption('anthropic-messages');
  await expect(mine).toHaveCount(0);
  await page.getByLabel('Protocol').selectOption('openai-chat');
  await expect(mine.first()).toBeVisible();
});
