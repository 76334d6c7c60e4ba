import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test('route editor: a bad policy and a fallback cycle are shown next to their fields, a good route and its billing policies save', async ({
  page,
}) => {
  await signIn(page, '/routes/new');

  await page.getByLabel('Public model').fill('editor-route');
  await page.getByRole('button', { name: 'Add target' }).click();
  await page.getByLabel('Target 1 account').selectOption({ label: 'mock / mock-primary' });
  await page.getByLabel('Target 1 upstream model').fill('mock-gpt-4o-mini');
  const interactive = page.locator('[data-testid="policy-editor"][data-traffic-class="interactive"]');
  await interactive.getByLabel('Override the default policy').check();
  await interactive.getByLabel('Connect (ms)').fill('40000');
  await page.getByRole('button', { name: 'Create route' }).click();

  const connectError = interactive.locator('[data-field="policies.interactive.timeouts.connectMs"]');
  // Next to the field, the message without the field's path.
  await expect(connectError).toHaveText('must not exceed timeouts.firstByteMs.');
  await interactive.getByLabel('Connect (ms)').fill('2000');
  await page.getByRole('button', { name: 'Create route' }).click();
  await expect(page).toHaveURL(/\/routes\/rt_/);
  await expect(page.getByRole('heading', { name: 'Route editor-route' })).toBeVisible();
  await expect(
    page
      .locator('[data-testid="policy-editor"][data-traffic-class="interactive"]')
      .getByLabel('Connect (ms)'),
  ).toHaveValue('2000');

  // editor-route falls back to chat-small; making chat-small fall back to editor-route would close a cycle.
  await page.getByLabel(/^Other routes this one may fall back to/).fill('chat-small-alias');
  await page.getByRole('button', { name: 'Save route' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await expect(page.getByLabel(/^Other routes this one may fall back to/)).toHaveValue('chat-small');

  const missingPrice = page.getByLabel('Missing-price policy');
  const costlierFallback = page.getByLabel('Allow fallback to a costlier target');
  await expect(missingPrice).toHaveValue('allow');
  await expect(costlierFallback).toBeChecked();
  await missingPrice.selectOption('block');
  await costlierFallback.uncheck();
  await page.getByRole('button', { name: 'Save route' }).click();
  await expect(page.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(missingPrice).toHaveValue('block');
  await expect(costlierFallback).not.toBeChecked();

  await page.goto('/routes');
  const billing = page.locator('[data-route="editor-route"] [data-testid="route-billing"]');
  await expect(billing).toContainText('missing price: block');
  await expect(billing).toContainText('costlier fallback: no');
  await page.getByRole('link', { name: 'Edit chat-small' }).click();
  await page.getByLabel(/^Other routes this one may fall back to/).fill('editor-route');
  await page.getByRole('button', { name: 'Save route' }).click();
  await expect(page.locator('[data-field="backupModels"]')).toHaveText(
    'Fallback models would form a cycle: chat-small → editor-route → chat-small.',
  );
});
