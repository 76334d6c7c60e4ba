import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test('billing console: create a budget, add a price in force, chart cost and download its CSV', async ({
  page,
}) => {
  await signIn(page, '/budgets');

  // A bad limit is shown under its field and nothing is created.
  const budgetName = `e2e budget ${Date.now()}`;
  const form = page.getByTestId('budget-form');
  await form.getByLabel('Name', { exact: true }).fill(budgetName);
  await form.getByLabel('Scope', { exact: true }).selectOption('global');
  await form.getByLabel('Limit (USD per period)', { exact: true }).fill('12.3456789');
  await page.getByRole('button', { name: 'Create budget' }).click();
  await expect(form.locator('[data-field="limitUsd"]')).toContainText('has 7 decimal places');
  await expect(page.getByTestId('budget-row').filter({ hasText: budgetName })).toHaveCount(0);
  // The refused save kept what was typed.
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(budgetName);
  await expect(form.getByLabel('Limit (USD per period)', { exact: true })).toHaveValue('12.3456789');

  await form.getByLabel('Name', { exact: true }).fill(budgetName);
  await form.getByLabel('Scope', { exact: true }).selectOption('global');
  await form.getByLabel('Period', { exact: true }).selectOption('monthly');
  await form.getByLabel('Limit (USD per period)', { exact: true }).fill('12.34');
  await page.getByRole('button', { name: 'Create budget' }).click();
  const budget = page.getByTestId('budget-row').filter({ hasText: budgetName });
  await expect(budget).toBeVisible();
  await expect(budget.getByTestId('budget-limit')).toHaveText('$12.34');
  await expect(budget.getByTestId('budget-period')).toHaveText('monthly');

  // A new price from now on for a catalog model: listed as the price in force.
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  const model = `e2e-model-${Date.now()}`;
  const priceForm = page.getByTestId('price-form');
  await priceForm.getByLabel('Vendor', { exact: true }).fill('e2e-vendor');
  await priceForm.getByLabel('Model', { exact: true }).fill(model);
  await priceForm.getByLabel('Input / 1M tokens (USD)', { exact: true }).fill('1.25');
  await priceForm.getByLabel('Output / 1M tokens (USD)', { exact: true }).fill('5.00');
  await page.getByRole('button', { name: 'Add price' }).click();
  await expect(priceForm.getByRole('status')).toContainText(`e2e-vendor/${model}`);
  const row = page.locator(`[data-testid="price-row"][data-model="${model}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('price-status')).toHaveText('in_force');
  await expect(row.getByTestId('price-input')).toHaveText('$1.25');
  await expect(row.getByTestId('price-output')).toHaveText('$5.00');

  // The cost dashboard draws its chart, and the CSV link downloads a file with the header row.
  await page.getByRole('link', { name: 'Cost', exact: true }).click();
  await expect(page).toHaveURL(/\/cost$/);
  await expect(page.getByTestId('cost-chart')).toBeVisible();
  await expect(page.getByTestId('cost-chart').locator('svg').first()).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('cost-csv').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('switchyard-cost.csv');
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toBe(
    'bucket_start,requests,errors,stream_requests,input_tokens,output_tokens,cached_input_tokens,cost_usd',
  );
  // The default window: the last 7 days by hour, every hour present.
  expect(csv.trimEnd().split('\r\n').length).toBeGreaterThanOrEqual(1 + 7 * 24);
});
