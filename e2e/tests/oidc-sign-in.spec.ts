import { type Browser, expect, test } from '@playwright/test';
import { admin } from './admin-api';
import { startTestIssuer, type TestIssuer } from './oidc-test-issuer';
import { signIn } from './sign-in';

// OIDC sign-in in Chromium through a real authorization code flow: the console (configured with OIDC_* by the
// global setup) sends the browser to a local test issuer, the tester signs in there, and the console maps the
// identity onto its user by e-mail. An e-mail no console user has is refused (auto-provisioning is off); so is a
// disabled user, with their own message; an invited user who has not accepted yet accepts by signing in.

let issuer: TestIssuer;

test.beforeAll(async () => {
  const clientId = process.env.E2E_OIDC_CLIENT_ID ?? '';
  issuer = await startTestIssuer({
    port: Number(process.env.E2E_OIDC_PORT),
    clients: { [clientId]: { secret: process.env.E2E_OIDC_CLIENT_SECRET ?? '' } },
  });
});
test.afterAll(async () => {
  await issuer?.close();
});

async function signInAtIssuer(page: import('@playwright/test').Page, email: string, verified = true) {
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer.url}/authorize\\?`));
  await expect(page.getByRole('heading', { name: 'Test IdP' })).toBeVisible();
  await page.getByLabel('E-mail').fill(email);
  if (!verified) await page.getByLabel('verified').uncheck();
  await page.getByRole('button', { name: 'Continue' }).click();
}

test('an operator signs in through the OIDC issuer as the console user with that e-mail', async ({
  page,
}) => {
  const before = issuer.tokenRequests.length;
  // The issuer reports the e-mail in another case: users are matched case-insensitively.
  await signInAtIssuer(page, (process.env.E2E_ADMIN_EMAIL ?? '').toUpperCase());
  await expect(page).toHaveURL(/\/overview$/, { timeout: 15_000 });
  await expect(page.getByTestId('current-user')).toContainText(process.env.E2E_ADMIN_EMAIL ?? '');
  await expect(page.getByTestId('current-user')).toContainText('(owner)');
  // The code was exchanged with the client secret and a PKCE verifier.
  expect(issuer.tokenRequests.slice(before)).toEqual([
    { clientId: process.env.E2E_OIDC_CLIENT_ID, pkce: true },
  ]);

  // The session is a real console session: sign-out ends it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
});

test('an e-mail no console user has is refused with a plain message', async ({ page }) => {
  await signInAtIssuer(page, 'stranger@example.com');
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/, { timeout: 15_000 });
  await expect(page.getByText('no console user has that e-mail')).toBeVisible();
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
});

test('an e-mail the issuer has not verified is refused, even a known one', async ({ page }) => {
  await signInAtIssuer(page, process.env.E2E_ADMIN_EMAIL ?? '', false);
  await expect(page).toHaveURL(/\/login\?.*error=AccessDenied/, { timeout: 15_000 });
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
});

type CreatedUser = { user: { id: string; status: string }; invite: { url: string } | null };

/** Creates a console user as the seeded owner would, in a browser context of its own; `disabled` disables it. */
async function createUserAsOwner(
  browser: Browser,
  body: { email: string; role: string; password?: string },
  disabled = false,
): Promise<CreatedUser> {
  const context = await browser.newContext();
  try {
    const owner = await context.newPage();
    await signIn(owner, '/users');
    const created = await admin<CreatedUser>(owner.request, 'POST', '/users', body);
    if (disabled) {
      const response = await owner.request.fetch(`/api/admin/v1/users/${created.user.id}`, {
        method: 'PATCH',
        data: { disabled: true },
      });
      expect(response.status(), await response.text()).toBe(200);
    }
    return created;
  } finally {
    await context.close();
  }
}

test('a disabled user is refused with a message that says so', async ({ page, browser }) => {
  const email = `disabled-${Date.now()}@example.com`;
  await createUserAsOwner(browser, { email, role: 'admin', password: 'a long enough password' }, true);
  await signInAtIssuer(page, email);
  await expect(page).toHaveURL(/\/login\?.*error=AccountDisabled/, { timeout: 15_000 });
  await expect(page.getByText('Your console account is disabled')).toBeVisible();
  await page.goto('/overview');
  await expect(page).toHaveURL(/\/login/);
});

test('an invited user who signs in through the issuer accepts the invite and gets the invited role', async ({
  page,
  browser,
}) => {
  const email = `invited-${Date.now()}@example.com`;
  const { user, invite } = await createUserAsOwner(browser, { email, role: 'admin' });
  expect(user.status).toBe('invited');
  await signInAtIssuer(page, email);
  await expect(page).toHaveURL(/\/overview$/, { timeout: 15_000 });
  await expect(page.getByTestId('current-user')).toContainText(email);
  await expect(page.getByTestId('current-user')).toContainText('(admin)');
  // The invite was spent by the sign-in: the link now says so instead of offering to set a password.
  const listed = await admin<{ status: string }>(page.request, 'GET', `/users/${user.id}`);
  expect(listed.status).toBe('active');
  await page.goto(invite?.url ?? '');
  await page.getByLabel('New password').fill('another long password');
  await page.getByLabel('Repeat it').fill('another long password');
  await page.getByRole('button', { name: 'Set password' }).click();
  await expect(page.getByText('this invite link is not valid')).toBeVisible();
});
