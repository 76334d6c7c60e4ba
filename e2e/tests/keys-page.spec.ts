import { expect, test } from '@playwright/test';
import OpenAI, { APIError } from 'openai';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

/** The `datetime-local` value for a time in the browser's zone (the page reads the input in that zone). */
function localInputValue(at: Date): string {
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

test("search the keys, open a key's page, see its request, schedule and then confirm a revocation", async ({
  page,
}) => {
  const model = process.env.E2E_MODEL ?? '';
  await signIn(page, '/keys');
  const keyName = `keys-page ${Date.now()}`;
  const plaintext = await createKeyInConsole(page, keyName);

  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });
  let requestId = '';
  await expect(async () => {
    const { data, response } = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'hello from the keys page' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain('hello from the keys page');
    requestId = response.headers.get('x-request-id') ?? '';
  }).toPass({ timeout: 5_000 });
  expect(requestId).not.toBe('');

  // Search runs on the server: the URL carries it and the table holds only the match.
  await page.getByLabel('Search keys').fill(keyName.toUpperCase());
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  const rows = page.getByTestId('key-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(keyName);

  // The key's page: its recent request (once the router's usage batch lands), linked to the explorer.
  await rows.first().getByRole('link', { name: keyName }).click();
  await expect(page).toHaveURL(/\/keys\/key_/);
  await expect(page.getByTestId('key-name')).toHaveText(keyName);
  const keyId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId('key-request-row').filter({ hasText: requestId })).toHaveCount(1, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByRole('link', { name: 'All of this key’s requests →' })).toHaveAttribute(
    'href',
    `/requests?keyId=${keyId}`,
  );
  await expect(page.getByTestId('key-usage-totals')).toContainText('1 request, 0 failed');
  await page.screenshot({ path: test.info().outputPath('key-page.png'), fullPage: true });

  await page.getByRole('link', { name: requestId }).click();
  await expect(page.getByTestId('request-id')).toHaveText(requestId);
  await page.goBack();

  // Scheduled revocation: the page says when, and counts down.
  await page.getByRole('button', { name: 'Revoke at…' }).click();
  const schedule = page.getByRole('dialog', { name: 'Schedule revocation' });
  await schedule
    .getByLabel('Revoke at (your time)')
    .fill(localInputValue(new Date(Date.now() + 2 * 86_400_000)));
  await schedule.getByRole('button', { name: 'Schedule revocation' }).click();
  await expect(schedule).toBeHidden();
  await expect(page.getByTestId('key-lifetime')).toContainText('Revokes at');
  await expect(page.getByTestId('expiry-countdown')).toHaveText(/^stops in (1d|2d) \d\dh$/);

  // Revoke asks first; cancelling keeps the key.
  await page.getByRole('button', { name: `Revoke ${keyName}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke ${keyName}?` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByTestId('key-lifetime')).toContainText('Revokes at');
  await page.getByRole('button', { name: `Revoke ${keyName}` }).click();
  await confirm.getByRole('button', { name: 'Revoke key' }).click();
  await expect(page.getByTestId('key-lifetime')).toContainText('Revoked');

  // The router refuses it now.
  await expect(async () => {
    const refused = await client.chat.completions
      .create({ model, messages: [{ role: 'user', content: 'after revoke' }] })
      .then(() => null)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(APIError);
    expect((refused as APIError).status).toBe(401);
  }).toPass({ timeout: 5_000 });

  // The list hides revoked keys unless asked.
  await page.goto(`/keys?q=${encodeURIComponent(keyName)}`);
  await expect(page.getByText('No keys match these filters.')).toBeVisible();
  await page.goto(`/keys?q=${encodeURIComponent(keyName)}&status=revoked`);
  await expect(page.getByTestId('key-row')).toHaveCount(1);
  await expect(page.getByTestId('key-row').first().getByTestId('key-status')).toContainText('revoked');
});
