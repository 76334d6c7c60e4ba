import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import OpenAI from 'openai';
import { admin, mockAccount } from './admin-api';
import { signIn } from './sign-in';

const ROUTE = 'drill-chat';
const UPSTREAM_MODEL = 'mock-gpt-4o-mini';
const PRIMARY = 'mock-primary';
const SECONDARY = 'mock-drill-secondary';
/** With equal weights, all N requests land on one account with probability 2^(1-N): 24 makes that ~1e-7. */
const REQUESTS_PER_PHASE = 24;

interface Served {
  requestId: string;
  account: string;
}

/** Sends `count` chat completions and reads which account served each one from the router's readback headers. */
async function send(client: OpenAI, count: number): Promise<Served[]> {
  const served: Served[] = [];
  for (let i = 0; i < count; i += 1) {
    const { data, response } = await client.chat.completions
      .create({ model: ROUTE, messages: [{ role: 'user', content: `drill ${i}` }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toContain(`drill ${i}`);
    served.push({
      requestId: response.headers.get('x-request-id') ?? '',
      account: response.headers.get('x-switchyard-account') ?? '',
    });
  }
  return served;
}

/**
 * Waits until the router has loaded a config snapshot after `changedAt` (epoch ms taken just before the console
 * was asked for the change, so before its commit; the commit's NOTIFY makes the router reload at once). From
 * then on every request sees the change. /readyz reports the age of the router's snapshot.
 */
async function awaitSnapshotAfter(changedAt: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await fetch(`${process.env.E2E_ROUTER_URL}/readyz`);
        const { snapshotAgeMs } = (await response.json()) as { snapshotAgeMs: number | null };
        return snapshotAgeMs === null ? 0 : Date.now() - snapshotAgeMs;
      },
      { timeout: 5_000, message: 'the router to reload its config' },
    )
    .toBeGreaterThan(changedAt);
}

/** The usage events of the given requests, as the admin API returns them, once the router has flushed them all. */
async function usageOf(api: APIRequestContext, served: Served[]) {
  type Event = {
    requestId: string;
    servedAccountName: string | null;
    attempts: { accountName: string | null; status: number | null }[];
  };
  const ids = new Set(served.map((request) => request.requestId));
  let events: Event[] = [];
  await expect
    .poll(
      async () => {
        const page = await admin<{ items: Event[] }>(api, 'GET', `/usage/events?model=${ROUTE}&limit=500`);
        events = page.items.filter((event) => ids.has(event.requestId));
        return events.length;
      },
      { timeout: 10_000, message: 'the usage events to be written' },
    )
    .toBe(ids.size);
  return events;
}

function targetRow(page: Page, account: string) {
  return page.locator(
    `[data-testid="health-route"][data-route="${ROUTE}"] [data-testid="health-target"][data-account="${account}"]`,
  );
}

test('failover drill: disable a target on the health page, traffic moves to the other account, then returns', async ({
  page,
}) => {
  await signIn(page, '/health');

  // A route with two targets on two accounts of the mock provider, made through the admin API.
  const api = page.request;
  const { providerId, accountId: primaryId } = await mockAccount(api, PRIMARY);
  const secondary = await admin<{ id: string }>(api, 'POST', '/accounts', {
    providerId,
    name: SECONDARY,
    credential: 'sk-upstream-drill-secondary',
  });
  await admin(api, 'POST', '/routes', {
    publicModel: ROUTE,
    targets: [
      { accountId: primaryId, upstreamModel: UPSTREAM_MODEL },
      { accountId: secondary.id, upstreamModel: UPSTREAM_MODEL },
    ],
  });
  const { plaintext } = await admin<{ plaintext: string }>(api, 'POST', '/keys', { name: 'failover drill' });
  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });

  // Both accounts serve. The new key and route reach the router through LISTEN/NOTIFY.
  await expect(async () => {
    await client.chat.completions.create({ model: ROUTE, messages: [{ role: 'user', content: 'warm up' }] });
  }).toPass({ timeout: 5_000 });
  const before = await send(client, REQUESTS_PER_PHASE);
  expect(new Set(before.map((request) => request.account))).toEqual(new Set([PRIMARY, SECONDARY]));

  // Drill: switch the secondary's target off in the console.
  await page.reload();
  const secondaryRow = targetRow(page, SECONDARY);
  await expect(secondaryRow.getByTestId('target-availability')).not.toHaveText('disabled');
  const disabledAt = Date.now();
  await secondaryRow.getByRole('button', { name: `Disable target ${SECONDARY} ${UPSTREAM_MODEL}` }).click();
  // Switching a target off asks first, saying what happens.
  const confirm = page.getByRole('dialog', { name: `Disable target ${SECONDARY} ${UPSTREAM_MODEL}?` });
  await expect(confirm).toContainText('fails over to its other targets');
  await confirm.getByRole('button', { name: 'Disable target' }).click();
  await expect(secondaryRow.getByTestId('target-availability')).toHaveText('disabled');
  await awaitSnapshotAfter(disabledAt);

  const during = await send(client, REQUESTS_PER_PHASE);
  expect(during.map((request) => request.account)).toEqual(during.map(() => PRIMARY));
  // The request log agrees: every request served by the primary in one attempt; the disabled target never tried.
  const logged = await usageOf(api, during);
  expect(logged.map((event) => event.servedAccountName)).toEqual(logged.map(() => PRIMARY));
  expect(
    logged.flatMap((event) => event.attempts.map((attempt) => [attempt.accountName, attempt.status])),
  ).toEqual(logged.map(() => [PRIMARY, 200]));

  // The console's request log shows the served account and, expanded, the attempt.
  await page.goto('/usage');
  const lastRow = page.locator(`[data-testid="usage-row"][data-request-id="${during.at(-1)?.requestId}"]`);
  await expect(lastRow.getByTestId('served-account')).toHaveText(PRIMARY, { timeout: 10_000 });
  await lastRow.getByRole('button', { name: /^Show 1 attempt of/ }).click();
  await expect(page.getByTestId('usage-attempts').getByTestId('usage-attempt')).toContainText([PRIMARY]);

  // Switch it back on: traffic returns to both accounts.
  await page.goto('/health');
  const enableButton = targetRow(page, SECONDARY).getByRole('button', {
    name: `Enable target ${SECONDARY} ${UPSTREAM_MODEL}`,
  });
  await expect(enableButton).toBeVisible();
  const enabledAt = Date.now();
  await enableButton.click();
  await expect(targetRow(page, SECONDARY).getByTestId('target-availability')).not.toHaveText('disabled');
  await awaitSnapshotAfter(enabledAt);
  const after = await send(client, REQUESTS_PER_PHASE);
  expect(new Set(after.map((request) => request.account))).toEqual(new Set([PRIMARY, SECONDARY]));
  const loggedAfter = await usageOf(api, after);
  expect(new Set(loggedAfter.map((event) => event.servedAccountName))).toEqual(new Set([PRIMARY, SECONDARY]));
});
