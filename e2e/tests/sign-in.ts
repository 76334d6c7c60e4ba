import { expect, type Page } from '@playwright/test';

/**
 * Opens `path` signed out, which sends the browser to the sign-in page; signs in as the seeded admin and checks
 * the console returns to the page asked for.
 */
export async function signIn(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill(process.env.E2E_ADMIN_EMAIL ?? '');
  await page.getByLabel('Password').fill(process.env.E2E_ADMIN_PASSWORD ?? '');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Checking a password is deliberately slow (scrypt); on a cold server the first page render adds to it.
  await expect(page).toHaveURL(new RegExp(`${path.replaceAll('/', '\\/')}$`), { timeout: 15_000 });
}
