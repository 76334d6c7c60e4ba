import { expect, type Page, test } from '@playwright/test';
import OpenAI from 'openai';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

const model = () => process.env.E2E_MODEL ?? '';

/** The status the router answers a chat completion with, and its error code on failure. */
async function chat(apiKey: string): Promise<{ status: number; code: string | null }> {
  const client = new OpenAI({ apiKey, baseURL: `${process.env.E2E_ROUTER_URL}/v1`, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model: model(), messages: [{ role: 'user', content: 'hi' }] });
    return { status: 200, code: null };
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return { status: error.status, code: typeof error.code === 'string' ? error.code : null };
    }
    throw error;
  }
}

async function createKey(page: Page, name: string): Promise<string> {
  const plaintext = await createKeyInConsole(page, name);
  // The router learns about a new key through LISTEN/NOTIFY.
  await expect(async () => expect((await chat(plaintext)).status).toBe(200)).toPass({ timeout: 5_000 });
  return plaintext;
}

/** Opens the row's Rotate dialog, picks the grace, confirms, and returns the new secret shown once. */
async function rotate(page: Page, name: string, grace: string): Promise<string> {
  await page.getByRole('button', { name: `Rotate ${name}` }).click();
  const dialog = page.getByRole('dialog', { name: `Rotate “${name}”` });
  await dialog.getByLabel('Old key keeps working for').selectOption({ label: grace });
  await dialog.getByRole('button', { name: 'Rotate key' }).click();
  const plaintext = (await dialog.getByTestId('rotated-key-plaintext').textContent())?.trim() ?? '';
  expect(plaintext).toMatch(/^sk-sy-/);
  return plaintext;
}

test('rotate a key with a grace: both keys work, the old one counts down; with no grace it stops', async ({
  page,
}) => {
  await signIn(page, '/keys');
  const name = `rotating ${Date.now()}`;
  const oldKey = await createKey(page, name);

  const newKey = await rotate(page, name, '1 hour');
  const dialog = page.getByRole('dialog', { name: `Rotate “${name}”` });
  await expect(dialog.getByTestId('expiry-countdown')).toHaveText(/^stops in (59m|1h 00m)/);
  await expect(async () => expect((await chat(newKey)).status).toBe(200)).toPass({ timeout: 5_000 });
  expect(await chat(oldKey)).toEqual({ status: 200, code: null });
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toBeHidden();

  const oldRow = page.getByTestId('key-row').filter({ has: page.getByTestId('key-rotated-to') });
  await expect(oldRow.filter({ hasText: name }).getByTestId('expiry-countdown')).toHaveText(/stops in/);
  await expect(page.getByRole('button', { name: `Rotate ${name}` })).toHaveCount(1); // only the new key's

  // The new key rotated with no grace: it stops at once on the router, its successor works.
  const newerKey = await rotate(page, name, 'Now (no grace)');
  await expect(async () =>
    expect(await chat(newKey)).toEqual({ status: 401, code: 'expired_api_key' }),
  ).toPass({
    timeout: 5_000,
  });
  await expect(async () => expect((await chat(newerKey)).status).toBe(200)).toPass({ timeout: 5_000 });
});
