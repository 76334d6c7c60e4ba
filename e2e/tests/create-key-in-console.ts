import { expect, type Locator, type Page } from '@playwright/test';

/**
 * On /keys: opens the "Create key" dialog, names the key, lets `fill` set any other field, creates it and reads
 * the key shown once; then confirms it was copied, which closes the dialog so the page behind is usable again.
 */
export async function createKeyInConsole(
  page: Page,
  name: string,
  fill?: (dialog: Locator) => Promise<void>,
): Promise<string> {
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create key' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await fill?.(dialog);
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const plaintext = (await dialog.getByTestId('new-key-plaintext').textContent())?.trim() ?? '';
  expect(plaintext).toMatch(/^sk-sy-/);
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toBeHidden();
  return plaintext;
}
