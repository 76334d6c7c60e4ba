import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { routerClientFor } from './router-client';
import { signIn } from './sign-in';

/** Full-page screenshots of every console page land here (gitignored; CI keeps them as artifacts). */
const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'screenshots');

const DESKTOP = { width: 1440, height: 900 };
const MOBILE = { width: 390, height: 844 };
const DEVICES = [
  ['desktop', DESKTOP],
  ['mobile', MOBILE],
] as const;

/** Every console page; `/providers/first` (and the like) stands for the first listed item's own page. */
const PAGES = [
  '/overview',
  '/keys',
  '/teams',
  '/teams/first',
  '/providers',
  '/providers/first',
  '/routes',
  '/routes/new',
  '/routes/first',
  '/health',
  '/usage',
  '/requests',
  '/requests/first',
  '/dead-letters',
  '/cost',
  '/budgets',
  '/pricing',
  '/audit',
  '/playground',
  '/onboarding',
  '/users',
  '/tokens',
] as const;

async function open(page: Page, path: (typeof PAGES)[number]): Promise<void> {
  if (path === '/providers/first') {
    await page.goto('/providers');
    await page.getByTestId('providers-table').getByRole('link').first().click();
    await expect(page).toHaveURL(/\/providers\/[^/]+$/);
  } else if (path === '/routes/first') {
    await page.goto('/routes');
    await page.getByTestId('route-row').first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/routes\/(?!new)[^/]+$/);
  } else if (path === '/teams/first') {
    await page.goto('/teams');
    if ((await page.getByTestId('team-row').count()) === 0) {
      // A fresh stack has no team yet; make one (the dialog opens its page).
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('dialog').getByLabel('Name').fill('Console quality team');
      await page.getByRole('dialog').getByRole('button', { name: 'Create team' }).click();
    } else {
      await page.getByTestId('team-row').first().getByRole('link').first().click();
    }
    await expect(page).toHaveURL(/\/teams\/[^/]+$/);
  } else if (path === '/requests/first') {
    // The traffic sent above reaches the explorer once its usage events are written.
    await expect(async () => {
      await page.goto('/requests');
      await expect(page.getByTestId('request-row').first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await page.getByTestId('request-row').first().getByRole('link').first().click();
    await expect(page).toHaveURL(/\/requests\/[^/]+$/);
  } else {
    await page.goto(path);
  }
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  // Client-fetched tables and charts: wait until nothing is loading.
  await page.waitForLoadState('networkidle');
}

/** How far the document is wider than the window, in CSS pixels (0 when nothing runs off-screen). */
async function overflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - window.innerWidth;
  });
}

/**
 * The contrast ratio (WCAG, 1 to 21) of an element's text against its own background, both resolved by the browser
 * (Tailwind's colours are oklch; a canvas turns any CSS colour into sRGB bytes).
 */
async function contrastOf(page: Page, selector: string): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const style = getComputedStyle(element);
      const context = document.createElement('canvas').getContext('2d');
      if (!context) throw new Error('no canvas');
      const luminance = (color: string) => {
        context.clearRect(0, 0, 1, 1);
        context.fillStyle = color;
        context.fillRect(0, 0, 1, 1);
        const [r = 0, g = 0, b = 0] = context.getImageData(0, 0, 1, 1).data;
        const channel = (value: number) => {
          const c = value / 255;
          return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
      };
      const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((a, b) => b - a);
      return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
    });
}

async function isDark(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.classList.contains('dark'));
}

let keyName = '';

test('a form keeps its input after a server error and says in plain words what to fix', async ({ page }) => {
  await signIn(page, '/keys');
  // The list comes first: the create form waits in a dialog behind the "Create key" button.
  await expect(page.getByRole('heading', { name: 'All keys' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toBeHidden();
  await page.getByRole('button', { name: 'Create key' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create key' });
  await expect(dialog.getByLabel('Name', { exact: true })).toBeVisible();

  keyName = `quality key ${Date.now()}`;
  await dialog.getByLabel('Name', { exact: true }).fill(keyName);
  await dialog.getByLabel('Allowed models').fill('chat-small');
  await dialog.getByLabel('RPM limit', { exact: true }).fill('twelve');
  await dialog.getByRole('button', { name: 'Create key' }).click();

  const fieldError = dialog.locator('[data-testid="field-error"][data-field="rpmLimit"]');
  await expect(fieldError).toHaveText('Enter a number.');
  await expect(dialog).not.toContainText(/expected number|received NaN|Invalid input/);
  // Nothing typed was lost.
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue(keyName);
  await expect(dialog.getByLabel('Allowed models')).toHaveValue('chat-small');
  await expect(dialog.getByLabel('RPM limit', { exact: true })).toHaveValue('twelve');
  await expect(dialog.getByLabel('RPM limit', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  // Fixed, it saves; the new key is shown once in the dialog, which Escape does not close.
  await dialog.getByLabel('RPM limit', { exact: true }).fill('120');
  await dialog.getByRole('button', { name: 'Create key' }).click();
  const plaintext = (await dialog.getByTestId('new-key-plaintext').textContent())?.trim() ?? '';
  expect(plaintext).toMatch(/^sk-sy-/);
  await page.keyboard.press('Escape');
  await expect(dialog.getByTestId('new-key-plaintext')).toHaveText(plaintext);
  await expect(page.getByTestId('key-row').filter({ hasText: keyName })).toHaveCount(1);
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText(plaintext)).toHaveCount(0);
  // Opened again, the form is cleared for the next key.
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue('');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();

  // Some traffic, so the usage and cost pages have rows and bars in the screenshots.
  const client = await routerClientFor(plaintext, 'console quality');
  for (let index = 0; index < 3; index += 1) {
    await client.chat.completions.create({
      model: process.env.E2E_MODEL ?? '',
      messages: [{ role: 'user', content: `console quality ${index}` }],
    });
  }
});

test('revoking a key asks first; cancel keeps it, confirm revokes it', async ({ page }) => {
  await signIn(page, '/keys');
  const row = page.getByTestId('key-row').filter({ hasText: keyName });
  await row.getByRole('button', { name: `Revoke ${keyName}` }).click();
  const dialog = page.getByRole('dialog', { name: `Revoke ${keyName}?` });
  await expect(dialog).toContainText('cannot be undone');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('key-status')).toContainText('active');

  await row.getByRole('button', { name: `Revoke ${keyName}` }).click();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row.getByTestId('key-status')).toContainText('active');

  await row.getByRole('button', { name: `Revoke ${keyName}` }).click();
  await dialog.getByRole('button', { name: 'Revoke key' }).click();
  await expect(dialog).toBeHidden();
  // The list hides revoked keys by default; the revoked filter shows it.
  await expect(row).toHaveCount(0);
  await page.goto('/keys?status=revoked');
  await expect(
    page.getByTestId('key-row').filter({ hasText: keyName }).getByTestId('key-status'),
  ).toContainText('revoked');
});

test('dark mode follows the OS, and the toggle wins and persists across a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await signIn(page, '/overview');
  expect(await isDark(page)).toBe(true);

  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
  expect(await isDark(page)).toBe(false);

  await page.getByLabel('Theme').selectOption('dark');
  expect(await isDark(page)).toBe(true);
  // Set before the first paint (no light flash): already there when the HTML is parsed, before React runs.
  await page.reload({ waitUntil: 'domcontentloaded' });
  expect(await isDark(page)).toBe(true);
  await expect(page.getByLabel('Theme')).toHaveValue('dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(248, 250, 252)');

  await page.getByLabel('Theme').selectOption('system');
  expect(await isDark(page)).toBe(false);
  await page.reload();
  expect(await isDark(page)).toBe(false);
});

test('on a phone the menu button opens the page list and navigates', async ({ page }) => {
  await page.setViewportSize(MOBILE);
  await signIn(page, '/overview');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await expect(menu).toHaveAttribute('aria-expanded', 'false');
  await menu.click();
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav).toBeVisible();
  expect(await overflow(page)).toBeLessThanOrEqual(0);
  await nav.getByRole('link', { name: 'Pricing' }).click();
  await expect(page).toHaveURL(/\/pricing$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Pricing' })).toBeVisible();
  await expect(nav).toBeHidden();

  // Escape closes it too.
  await menu.click();
  await expect(nav).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(nav).toBeHidden();
});

/** The create forms of the list pages, each in a dialog behind a button in the page header. */
const DIALOGS = [
  { path: '/keys', button: 'Create key', shot: 'keys-create' },
  { path: '/budgets', button: 'Create budget', shot: 'budgets-create' },
  { path: '/pricing', button: 'Add price', shot: 'pricing-add' },
  { path: '/pricing', button: 'Import prices', shot: 'pricing-import' },
] as const;

/**
 * Selects whose options are names people chose (keys up to 100 characters, teams, providers). No phone-width
 * select shows every such name whole (the phone's own picker does); on a desktop they must fit.
 */
const NAMED_SELECTS = ['key-team', 'budget-new-scope-id', 'price-target'];

/**
 * Where a dialog sits in the window, whether it scrolls sideways, the ids of its inputs narrower than its form,
 * and the options that do not fit their select (Chromium draws the arrow inside the right padding plus ~20 px),
 * leaving out the selects named in `skipSelects`.
 */
async function dialogFit(dialog: Locator, skipSelects: readonly string[]) {
  return dialog.evaluate((element, skip) => {
    const box = element.getBoundingClientRect();
    const formWidth = element.querySelector('form')?.getBoundingClientRect().width ?? 0;
    const controls = Array.from(
      element.querySelectorAll<HTMLElement>(
        'input:not([type=checkbox]):not([type=hidden]):not([type=file]), select, textarea',
      ),
    );
    const context = document.createElement('canvas').getContext('2d');
    if (!context) throw new Error('no canvas');
    const selects = Array.from(element.querySelectorAll('select')).filter(
      (select) => !skip.includes(select.id),
    );
    const cut = selects.flatMap((select) => {
      const style = getComputedStyle(select);
      context.font = style.font;
      const room =
        select.clientWidth -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight) -
        20;
      return Array.from(select.options)
        .map((option) => ({ text: option.text, width: Math.ceil(context.measureText(option.text).width) }))
        .filter((option) => option.width > room)
        .map((option) => `${select.id}: ${option.text} (${option.width} px in ${room})`);
    });
    return {
      inside:
        box.left >= 0 && box.top >= 0 && box.right <= window.innerWidth && box.bottom <= window.innerHeight,
      sideways: element.scrollWidth - element.clientWidth,
      overflowY: getComputedStyle(element).overflowY,
      narrow: controls
        .filter((control) => control.getBoundingClientRect().width < formWidth - 1)
        .map((control) => control.id),
      cut,
    };
  }, skipSelects);
}

for (const theme of ['light', 'dark'] as const) {
  test(`create dialogs fit a 390 px phone and a 1440 px desktop: on screen, scrolling inside, fields full width, options not cut (${theme})`, async ({
    page,
  }) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.emulateMedia({ colorScheme: theme });
    await signIn(page, '/overview');
    for (const [device, viewport] of DEVICES) {
      await page.setViewportSize(viewport);
      for (const { path, button, shot } of DIALOGS) {
        await page.goto(path);
        await page.getByRole('button', { name: button, exact: true }).click();
        const dialog = page.getByRole('dialog', { name: button });
        await expect(dialog).toBeVisible();
        const fit = await dialogFit(dialog, device === 'mobile' ? NAMED_SELECTS : []);
        const where = `${button} at ${viewport.width} px`;
        expect.soft(fit.inside, `${where}: inside the window`).toBe(true);
        expect.soft(fit.sideways, `${where}: scrolls sideways`).toBeLessThanOrEqual(0);
        expect.soft(fit.overflowY, `${where}: scrolls inside`).toBe('auto');
        if (device === 'mobile') expect.soft(fit.narrow, `${where}: narrower than the form`).toEqual([]);
        expect.soft(fit.cut, `${where}: options cut`).toEqual([]);
        await page.screenshot({ path: join(SCREENSHOTS, `${device}-${theme}-${shot}.png`) });
        // Longer than a phone's screen, the key form scrolls inside the dialog down to its buttons.
        const submit = dialog.locator('button[type="submit"]');
        await submit.scrollIntoViewIfNeeded();
        await expect(submit).toBeInViewport({ ratio: 1 });
        await page.keyboard.press('Escape');
        await expect(dialog).toBeHidden();
      }
    }
  });
}

for (const theme of ['light', 'dark'] as const) {
  test(`every page fits a 390 px phone and a 1440 px desktop (${theme}), screenshots kept`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.emulateMedia({ colorScheme: theme });
    // The sign-in page, before signing in.
    for (const [device, viewport] of DEVICES) {
      await page.setViewportSize(viewport);
      await page.goto('/login');
      await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
      expect(await isDark(page), `/login ${theme}`).toBe(theme === 'dark');
      expect
        .soft(await overflow(page), `/login runs off-screen at ${viewport.width} px`)
        .toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `${device}-${theme}-login.png`), fullPage: true });
      // Where an invite link lands (the token is only read, not used, until the form is sent).
      await page.goto('/invite#not-a-real-invite-token');
      await expect(page.getByLabel('New password')).toBeVisible();
      expect(await isDark(page), `/invite ${theme}`).toBe(theme === 'dark');
      expect
        .soft(await overflow(page), `/invite runs off-screen at ${viewport.width} px`)
        .toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `${device}-${theme}-invite.png`), fullPage: true });
    }
    await page.setViewportSize(DESKTOP);
    await signIn(page, '/overview');
    for (const [device, viewport] of DEVICES) {
      await page.setViewportSize(viewport);
      for (const path of PAGES) {
        await open(page, path);
        expect(await isDark(page), `${path} ${theme}`).toBe(theme === 'dark');
        if (device === 'desktop') {
          // The current page's link stays readable in both themes.
          expect
            .soft(
              await contrastOf(page, 'nav[aria-label="Main"] a[aria-current="page"]'),
              `${path} nav ${theme}`,
            )
            .toBeGreaterThanOrEqual(4.5);
        }
        expect
          .soft(await overflow(page), `${path} runs off-screen at ${viewport.width} px`)
          .toBeLessThanOrEqual(0);
        const name = path.slice(1).replaceAll('/', '-');
        await page.screenshot({ path: join(SCREENSHOTS, `${device}-${theme}-${name}.png`), fullPage: true });
      }
      // The grouped cost chart: every hour of the window on the axis, a colour per model.
      await open(page, '/cost');
      await page.getByLabel('Group by').selectOption('model');
      await expect(page.getByTestId('cost-chart')).toHaveAttribute(
        'aria-label',
        'Cost per group over time (UTC)',
      );
      await page.waitForLoadState('networkidle');
      expect
        .soft(await overflow(page), `grouped /cost runs off-screen at ${viewport.width} px`)
        .toBeLessThanOrEqual(0);
      if (device === 'desktop') {
        // Each group's cost is on screen, not scrolled out of its half-width card.
        const cost = page.getByTestId('cost-groups').getByRole('columnheader', { name: 'Cost' });
        await expect(cost).toBeInViewport({ ratio: 1 });
      }
      await page.screenshot({
        path: join(SCREENSHOTS, `${device}-${theme}-cost-grouped.png`),
        fullPage: true,
      });
    }
  });
}
