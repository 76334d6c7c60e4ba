import { expect, test } from '@playwright/test';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

test('a console change is audited with the browser’s address and user agent and what changed', async ({
  page,
}) => {
  await signIn(page, '/keys');
  const name = `audited ${Date.now()}`;
  await createKeyInConsole(page, name);
  const row = page.getByTestId('key-row').filter({ hasText: name });
  const keyId = (await row.getAttribute('data-key-id')) ?? '';
  expect(keyId).toMatch(/^key_/);

  await page.getByLabel(`RPM limit of ${name}`).fill('120');
  await page.getByRole('button', { name: `Save limits of ${name}` }).click();

  // The write lands with the action; the audit page reads it back (retry until it is there).
  const userAgent = await page.evaluate(() => navigator.userAgent);
  await expect(async () => {
    await page.goto(`/audit?action=api_key.update&targetId=${keyId}`);
    await expect(page.getByText('1 field changed')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await page.getByText('1 field changed').click();
  const details = page.locator('details[open]');
  await expect(details.getByText(userAgent, { exact: true })).toBeVisible();
  // Next fills X-Forwarded-For from the socket: loopback in this suite.
  await expect(details.locator('dd').first()).toHaveText(/127\.0\.0\.1|::1/);
  await expect(details.getByText('Before')).toBeVisible();
  await expect(details.locator('pre').nth(0)).toContainText('"rpmLimit": null');
  await expect(details.locator('pre').nth(1)).toContainText('"rpmLimit": 120');
  await page.screenshot({ path: test.info().outputPath('audit.png'), fullPage: true });
});
