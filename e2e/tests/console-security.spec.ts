import { expect, test } from '@playwright/test';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

const FOREIGN_ORIGIN = 'http://127.0.0.1:9999';

test('pages render and hydrate under the CSP, with the security headers', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await signIn(page, '/keys');
  for (const path of [
    '/overview',
    '/keys',
    '/usage',
    '/cost',
    '/routes',
    '/health',
    '/budgets',
    '/pricing',
  ]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    const headers = response?.headers() ?? {};
    expect(headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
    expect(headers['x-frame-options'], path).toBe('DENY');
    expect(headers['x-content-type-options'], path).toBe('nosniff');
    await expect(page.getByTestId('current-user')).toBeVisible();
  }
  // A client-side interaction works only once React hydrated under the policy.
  await page.goto('/keys');
  expect(await createKeyInConsole(page, `csp check ${Date.now()}`)).toContain('sk-sy-');
  expect(violations).toEqual([]);
});

test('a cross-site write with the session cookie is refused, a same-origin one is not', async ({ page }) => {
  await signIn(page, '/keys');
  const body = { name: `cross-site ${Date.now()}` };
  const refused = await page.request.post('/api/admin/v1/keys', {
    data: body,
    headers: { origin: FOREIGN_ORIGIN },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe('forbidden');
  const list = await page.request.get(`/api/admin/v1/keys?limit=500`);
  const names = ((await list.json()) as { items: { name: string }[] }).items.map((key) => key.name);
  expect(names).not.toContain(body.name);

  const origin = new URL(page.url()).origin;
  const accepted = await page.request.post('/api/admin/v1/keys', { data: body, headers: { origin } });
  expect(accepted.status()).toBe(201);
});

test('sign-out ends the session: the old cookie no longer opens pages or the API', async ({
  page,
  browser,
}) => {
  await signIn(page, '/keys');
  const cookies = await page.context().cookies();
  expect(cookies.some((cookie) => cookie.name.includes('session-token'))).toBe(true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  const replay = await browser.newContext({ baseURL: new URL(page.url()).origin });
  await replay.addCookies(cookies);
  const replayPage = await replay.newPage();
  await replayPage.goto('/keys');
  await expect(replayPage).toHaveURL(/\/login/);
  expect((await replay.request.get('/api/admin/v1/keys')).status()).toBe(401);
  await replay.close();
});

test('after sign-in the console never leaves its own origin', async ({ page }) => {
  await page.goto('/login?callbackUrl=/%09/evil.example/');
  await page.getByLabel('Email').fill(process.env.E2E_ADMIN_EMAIL ?? '');
  await page.getByLabel('Password').fill(process.env.E2E_ADMIN_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // A refused callback falls back to `/`, which lands on the overview.
  await expect(page).toHaveURL(/\/overview$/);
  expect(new URL(page.url()).origin).toBe(new URL(process.env.E2E_DASHBOARD_URL ?? '').origin);
});

test('repeated wrong sign-ins are throttled by the sign-in endpoint itself (429 with Retry-After)', async ({
  request,
}) => {
  // An e-mail of its own, so the lock does not touch the admin the other specs sign in as.
  const email = `nobody-${Date.now()}@switchyard.local`;
  const { csrfToken } = (await (await request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const statuses: number[] = [];
  let retryAfter: string | undefined;
  for (let i = 0; i < 10; i++) {
    const res = await request.post('/api/auth/callback/credentials', {
      form: { email, password: `wrong-${i}`, csrfToken, json: 'true', callbackUrl: '/keys' },
    });
    statuses.push(res.status());
    if (res.status() === 429) retryAfter ??= res.headers()['retry-after'];
  }
  // Five are checked (and fail), the rest are refused while the account is locked.
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.slice(5)).toEqual([429, 429, 429, 429, 429]);
  expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
});
