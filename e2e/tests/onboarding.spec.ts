import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

// The onboarding page names this router's base URL, and its copy buttons put exactly the shown text on the
// clipboard (the snippets themselves are run against a real router by the dashboard's vitest suite).

test('onboarding shows the router URL and copies snippets and variables exactly', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseURL });
  const routerUrl = process.env.E2E_ROUTER_URL ?? '';
  await signIn(page, '/onboarding');
  await expect(page.getByTestId('router-url')).toHaveText(routerUrl);
  await page.screenshot({ path: test.info().outputPath('onboarding.png'), fullPage: true });

  const snippet = page.getByTestId('snippet-node-openai-chat');
  await expect(snippet).toContainText("model: 'chat-small'");
  await snippet.locator('..').getByRole('button', { name: 'Copy' }).click();
  await expect(snippet.locator('..').getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await snippet.textContent());
  expect(copied).toContain("import OpenAI from 'openai';");

  await page.getByRole('button', { name: 'Copy variables' }).click();
  const variables = await page.evaluate(() => navigator.clipboard.readText());
  expect(variables).toContain(`export OPENAI_BASE_URL=${routerUrl}/v1`);
  expect(variables).toContain(`export ANTHROPIC_BASE_URL=${routerUrl}`);
  expect(variables).toContain(`export GOOGLE_GEMINI_BASE_URL=${routerUrl}`);

  await expect(page.getByTestId('rollback-script')).toContainText(
    'export OPENAI_BASE_URL=https://api.openai.com/v1',
  );
});
