import { expect, type Page, test } from '@playwright/test';
import { createKeyInConsole } from './create-key-in-console';
import { routerClientFor } from './router-client';
import { signIn } from './sign-in';

async function requestsLast24h(page: Page): Promise<number> {
  const text = (await page.getByTestId('overview-requests-24h').textContent()) ?? '';
  return Number(text.replaceAll(',', ''));
}

test('the console lands on the overview, whose request count follows traffic and whose cards link to their pages', async ({
  page,
}) => {
  await signIn(page, '/overview');
  await page.goto('/');
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  const before = await requestsLast24h(page);

  await page.goto('/keys');
  const plaintext = await createKeyInConsole(page, `overview e2e ${Date.now()}`);
  const _client = await routerClientFor(plaintext, 'hello from the overview spec');

  // The router's usage sink flushes in batches; the rollup then counts the request.
  await expect(async () => {
    await page.goto('/overview');
    expect(await requestsLast24h(page)).toBe(before + 1);
  }).toPass({ timeout: 15_000 });

  for (const [card, link, path] of [
    ['overview-spend', 'Cost', '/cost'],
    ['overview-requests', 'Usage', '/usage'],
    ['overview-health', 'Health', '/health'],
    ['overview-budgets', 'All budgets', '/budgets'],
  ] as const) {
    await page.goto('/overview');
    await page.getByTestId(card).getByRole('link', { name: link }).click();
    await expect(page).toHaveURL(new RegExp(`${path}$`));
  }
});
