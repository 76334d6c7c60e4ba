import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

test('billing console: create a budget, add a price in force, chart cost and download its CSV', async ({
  page,
}) => {
  await signIn(page, '/budgets');

  // The list comes first: the create form waits in a dialog behind the "Create budget" button.
  await expect(page.getByRole('heading', { name: /All budgets/ })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Create budget' }).click();
  const form = page.getByRole('dialog', { name: 'Create budget' }).getByTestId('budget-form');

  // A bad limit is shown under its field and nothing is created.
  const budgetName = `e2e budget ${Date.now()}`;
  await form.getByLabel('Name', { exact: true }).fill(budgetName);
  await form.getByLabel('Scope', { exact: true }).selectOption('global');
  await form.getByLabel('Limit (USD per period)', { exact: true }).fill('12.3456789');
  await form.getByRole('button', { name: 'Create budget' }).click();
  await expect(form.locator('[data-field="limitUsd"]')).toContainText('has 7 decimal places');
  await expect(page.getByTestId('budget-row').filter({ hasText: budgetName })).toHaveCount(0);
  // The refused save kept what was typed.
  await expect(form.getByLabel('Name', { exact: true })).toHaveValue(budgetName);
  await expect(form.getByLabel('Limit (USD per period)', { exact: true })).toHaveValue('12.3456789');

  await form.getByLabel('Name', { exact: true }).fill(budgetName);
  await form.getByLabel('Scope', { exact: true }).selectOption('global');
  await form.getByLabel('Period', { exact: true }).selectOption('monthly');
  await form.getByLabel('Limit (USD per period)', { exact: true }).fill('12.34');
  await form.getByRole('button', { name: 'Create budget' }).click();
  await expect(form).toBeHidden();
  await expect(
    page.getByTestId('toast').filter({ hasText: `Budget “${budgetName}” created.` }),
  ).toBeVisible();
  const budget = page.getByTestId('budget-row').filter({ hasText: budgetName });
  await expect(budget).toBeVisible();
  await expect(budget.getByTestId('budget-limit')).toHaveText('$12.34');
  await expect(budget.getByTestId('budget-period')).toHaveText('monthly');

  // Editing is a dialog too, opened from the budget's card, holding its current values.
  await budget.getByRole('button', { name: `Edit ${budgetName}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit budget “${budgetName}”` });
  await expect(edit.getByLabel('Limit (USD per period)', { exact: true })).toHaveValue('12.34');
  await edit.getByLabel('Limit (USD per period)', { exact: true }).fill('20');
  await edit.getByRole('button', { name: 'Save budget' }).click();
  await expect(edit).toBeHidden();
  await expect(budget.getByTestId('budget-limit')).toHaveText('$20.00');

  // A new price from now on for a catalog model: listed as the price in force.
  await page.getByRole('link', { name: 'Pricing', exact: true }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByLabel('Model', { exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Add price' }).click();
  const model = `e2e-model-${Date.now()}`;
  const priceForm = page.getByRole('dialog', { name: 'Add price' }).getByTestId('price-form');
  await priceForm.getByLabel('Vendor', { exact: true }).fill('e2e-vendor');
  await priceForm.getByLabel('Model', { exact: true }).fill(model);
  await priceForm.getByLabel('Input / 1M tokens (USD)', { exact: true }).fill('1.25');
  await priceForm.getByLabel('Output / 1M tokens (USD)', { exact: true }).fill('5.00');
  await priceForm.getByRole('button', { name: 'Add price' }).click();
  await expect(priceForm).toBeHidden();
  await expect(page.getByTestId('toast').filter({ hasText: `e2e-vendor/${model}` })).toBeVisible();
  const row = page.locator(`[data-testid="price-row"][data-model="${model}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('price-status')).toHaveText('in_force');
  await expect(row.getByTestId('price-input')).toHaveText('$1.25');
  await expect(row.getByTestId('price-output')).toHaveText('$5.00');

  // Importing is a dialog too: a bad file lists its issues there and keeps the pasted text; a good one closes it.
  await page.getByRole('button', { name: 'Import prices' }).click();
  const importDialog = page.getByRole('dialog', { name: 'Import prices' });
  const imported = `e2e-imported-${Date.now()}`;
  const entry = { provider: 'e2e-vendor', model: imported, effectiveFrom: '2030-01-01', input: '1.00' };
  const bad = JSON.stringify([{ ...entry, ouput: '2.00' }]);
  await importDialog.getByLabel('…or paste it').fill(bad);
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(importDialog.getByTestId('import-issues')).toContainText('[0].ouput');
  await expect(importDialog.getByLabel('…or paste it')).toHaveValue(bad);
  await importDialog.getByLabel('…or paste it').fill(JSON.stringify([{ ...entry, output: '2.00' }]));
  await importDialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(importDialog).toBeHidden();
  await expect(
    page.getByTestId('toast').filter({ hasText: 'Imported: 1 created, 0 already present (identical).' }),
  ).toBeVisible();
  await expect(page.locator(`[data-testid="price-row"][data-model="${imported}"]`)).toBeVisible();

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
