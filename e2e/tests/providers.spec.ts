import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

const CREDENTIAL = 'sk-e2e-provider-console-credential-q7Zx';

/** The seeded provider points at the mock: its base URL is where the new provider goes too. */
async function mockBaseUrl(request: import('@playwright/test').APIRequestContext): Promise<string> {
  const response = await request.get('/api/admin/v1/providers');
  expect(response.ok()).toBe(true);
  const { items } = (await response.json()) as { items: { name: string; baseUrl: string }[] };
  const mock = items.find((provider) => provider.name === 'mock');
  expect(mock, 'the seeded mock provider').toBeDefined();
  return mock?.baseUrl ?? '';
}

test('add a provider and an account pointing at the mock, then test the connection', async ({
  page,
}, testInfo) => {
  await signIn(page, '/providers');
  const baseUrl = await mockBaseUrl(page.request);
  await expect(page.getByTestId('providers-table')).toContainText('mock');

  await page.getByRole('button', { name: 'Add provider' }).click();
  const add = page.getByRole('dialog', { name: 'Add provider' });
  // The base URL follows the kind until edited.
  await expect(add.getByLabel('Base URL')).toHaveValue('https://api.openai.com/v1');
  await add.getByLabel('Kind').selectOption('anthropic');
  await expect(add.getByLabel('Base URL')).toHaveValue('https://api.anthropic.com/v1');
  await add.getByLabel('Kind').selectOption('openai_compatible');
  await add.getByLabel('Name').fill('e2e-mock');

  // A refused address: the reason is shown next to the field and the input stays.
  await add.getByLabel('Base URL').fill('http://169.254.169.254/v1');
  await add.getByRole('button', { name: 'Add provider' }).click();
  await expect(add.getByTestId('field-error')).toContainText('SWITCHYARD_EGRESS_ALLOW');
  await expect(add.getByTestId('field-error')).toHaveAttribute('data-field', 'baseUrl');
  await expect(add.getByLabel('Name')).toHaveValue('e2e-mock');
  await expect(add.getByLabel('Base URL')).toHaveValue('http://169.254.169.254/v1');
  await page.screenshot({ path: testInfo.outputPath('add-provider-error.png') });

  await add.getByLabel('Base URL').fill(baseUrl);
  await add.getByRole('button', { name: 'Add provider' }).click();
  await expect(page).toHaveURL(/\/providers\/prv_/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('e2e-mock');

  await page.getByRole('button', { name: 'Add account' }).click();
  const account = page.getByRole('dialog', { name: 'Add account' });
  await account.getByLabel('Name').fill('e2e-account');
  await account.getByLabel('API key or token').fill(CREDENTIAL);
  // Plain words for a bad number, and the other inputs stay.
  await account.getByLabel('Weight').fill('lots');
  await account.getByRole('button', { name: 'Add account' }).click();
  await expect(account.getByTestId('field-error')).toHaveText(
    'Weight must be a whole number from 0 to 1000.',
  );
  await expect(account.getByLabel('API key or token')).toHaveValue(CREDENTIAL);
  await account.getByLabel('Weight').fill('3');
  await account.getByLabel('Priority').fill('1');
  await account.getByRole('button', { name: 'Add account' }).click();

  const row = page.getByTestId('account-row-e2e-account');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('credential-last4')).toHaveText('••••q7Zx');
  await expect(page.locator('body')).not.toContainText(CREDENTIAL);

  await row.getByRole('button', { name: 'Test connection of e2e-account' }).click();
  const result = row.getByTestId('connection-test-result');
  await expect(result).toContainText('Connected · HTTP 200');
  await expect(result).toContainText(/\d+ ms/);
  await expect(row.getByTestId('connection-test-models')).toContainText('mock-gpt-4o-mini');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: testInfo.outputPath('provider-page.png'), fullPage: true });

  // Moving the provider to another host asks for every account's credential again.
  const movedUrl = baseUrl.replace('127.0.0.1', 'localhost');
  await page.getByRole('button', { name: 'Edit provider' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit “e2e-mock”' });
  await edit.getByLabel('Base URL').fill(movedUrl);
  await expect(edit.getByRole('group', { name: 'Credentials for the new host' })).toBeVisible();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByTestId('field-error')).toContainText('Enter the credential of “e2e-account” again');
  await expect(edit.getByLabel('Base URL')).toHaveValue(movedUrl);
  await edit.getByLabel('e2e-account').fill(`${CREDENTIAL}-moved-M0vd`);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('main')).toContainText(movedUrl);
  await expect(row.getByTestId('credential-last4')).toHaveText('••••M0vd');

  // Disabling asks first.
  await row.getByRole('button', { name: 'Disable e2e-account' }).click();
  const confirm = page.getByRole('dialog', { name: 'Disable “e2e-account”?' });
  await expect(confirm).toContainText('stops sending it requests');
  await confirm.getByRole('button', { name: 'Disable' }).click();
  await expect(row).toContainText('Disabled');
  await expect(row.getByRole('button', { name: 'Enable e2e-account' })).toBeVisible();

  await page.goto('/providers');
  await page.screenshot({ path: testInfo.outputPath('providers-list.png'), fullPage: true });
});
