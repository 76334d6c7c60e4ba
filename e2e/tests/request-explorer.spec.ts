import { expect, test } from '@playwright/test';
import OpenAI from 'openai';
import { admin, mockAccount } from './admin-api';
import { signIn } from './sign-in';

const ROUTE = 'explorer-chat';
const UPSTREAM_MODEL = 'mock-gpt-4o-mini';
const PRIMARY = 'mock-primary';
const DEAD = 'explorer-dead-account';

test('a request sent with the openai SDK is found by its id in the explorer, with both of its attempts', async ({
  page,
}) => {
  await signIn(page, '/requests');
  await expect(page.getByRole('link', { name: 'Requests', exact: true })).toHaveAttribute(
    'aria-current',
    'page',
  );

  // A route whose first tier is an account on a provider nobody listens for (connection refused), and whose
  // second tier is the mock: every request fails over, so its usage row holds at least two attempts.
  const api = page.request;
  const { accountId: primaryId } = await mockAccount(api, PRIMARY);
  const dead = await admin<{ id: string }>(api, 'POST', '/providers', {
    name: 'explorer-dead',
    kind: 'openai_compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
  });
  const deadAccount = await admin<{ id: string }>(api, 'POST', '/accounts', {
    providerId: dead.id,
    name: DEAD,
    credential: 'sk-upstream-explorer-dead',
  });
  await admin(api, 'POST', '/routes', {
    publicModel: ROUTE,
    targets: [
      { accountId: deadAccount.id, upstreamModel: UPSTREAM_MODEL, tier: 0 },
      { accountId: primaryId, upstreamModel: UPSTREAM_MODEL, tier: 1 },
    ],
  });
  const { key, plaintext } = await admin<{ key: { id: string }; plaintext: string }>(api, 'POST', '/keys', {
    name: 'explorer e2e',
  });
  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });

  // The new key and route reach the router through LISTEN/NOTIFY.
  let requestId = '';
  let attempts = '';
  await expect(async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: ROUTE,
        messages: [{ role: 'user', content: 'find me in the explorer' }],
        user: 'explorer-user',
      })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain('find me in the explorer');
    requestId = response.headers.get('x-request-id') ?? '';
    attempts = response.headers.get('x-switchyard-attempts') ?? '';
  }).toPass({ timeout: 10_000 });
  expect(requestId).toMatch(/^req_/);
  expect(Number(attempts)).toBeGreaterThanOrEqual(2);

  // Search by the id the router answered with; the usage sink writes in batches, so search until it is there.
  const row = page.locator(`[data-testid="request-row"][data-request-id="${requestId}"]`);
  await expect(async () => {
    await page.goto('/requests');
    await page.getByLabel('Request id').fill(requestId);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect(page).toHaveURL(new RegExp(`requestId=${requestId}`));
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId('request-row')).toHaveCount(1);

  // The key filter offers keys by name; picking this key lists its requests, this one the newest.
  await page.goto('/requests');
  await page.getByRole('combobox', { name: 'Key', exact: true }).selectOption(key.id);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`keyId=${key.id}`));
  await expect(page.getByTestId('request-row').first()).toHaveAttribute('data-request-id', requestId);

  await row.getByRole('link', { name: requestId }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));
  await expect(page.getByTestId('request-id')).toHaveText(requestId);
  await expect(page.getByTestId('request-status')).toHaveText('success');
  await expect(page.getByTestId('request-served-model')).toHaveText(UPSTREAM_MODEL);

  // The timeline: the dead account first (no HTTP status, why: primary), the mock's account last, served (200).
  const timeline = page.getByTestId('usage-attempt');
  await expect(timeline).toHaveCount(Number(attempts));
  const first = timeline.first().locator('td');
  await expect(first.nth(1)).toHaveText('primary');
  await expect(first.nth(2)).toHaveText(DEAD);
  await expect(first.nth(4)).toHaveText('—');
  await expect(first.nth(5)).not.toHaveText('—');
  const last = timeline.last().locator('td');
  await expect(last.nth(1)).toHaveText('other_provider');
  await expect(last.nth(2)).toHaveText(PRIMARY);
  await expect(last.nth(4)).toHaveText('200');
  await expect(page.getByText('explorer-user')).toBeVisible();
});
