import { expect, type Page, test } from '@playwright/test';
import OpenAI from 'openai';
import { createKeyInConsole } from './create-key-in-console';
import { signIn } from './sign-in';

async function createTeam(page: Page, name: string): Promise<string> {
  await page.goto('/teams');
  await page.getByRole('button', { name: 'Create team' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create team' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create team' }).click();
  await expect(page).toHaveURL(/\/teams\/team_[0-9A-Za-z]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  return page.url().split('/').pop() ?? '';
}

test('owner creates a team and invites a member, who accepts, signs in and manages only their team’s keys', async ({
  page,
  browser,
}) => {
  const stamp = Date.now();
  const teamName = `payments ${stamp}`;
  const otherName = `research ${stamp}`;
  const memberEmail = `member-${stamp}@example.com`;
  const memberPassword = 'member password 12345';

  await signIn(page, '/teams');
  const teamId = await createTeam(page, teamName);
  const otherTeamId = await createTeam(page, otherName);

  // The owner puts a key in the other team, from its page: the member must never see it. The link lands in the
  // open "Create key" form, the team already chosen.
  await page.getByRole('link', { name: `Create key in ${otherName}` }).click();
  const createDialog = page.getByRole('dialog', { name: 'Create key' });
  await expect(createDialog.getByLabel('Team', { exact: true })).toHaveValue(otherTeamId);
  // The link's `create=1` is spent once the dialog opened: a reload shows the list, the team filter kept.
  await expect(page).toHaveURL(new RegExp(`/keys\\?team=${otherTeamId}$`));
  const otherKeyName = `other team key ${stamp}`;
  await createDialog.getByLabel('Name', { exact: true }).fill(otherKeyName);
  await createDialog.getByRole('button', { name: 'Create key' }).click();
  await expect(createDialog.getByTestId('new-key-plaintext')).toContainText('sk-sy-');
  await createDialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(createDialog).toBeHidden();
  const otherRow = page.getByTestId('key-row').filter({ hasText: otherKeyName });
  await expect(otherRow.getByTestId('key-team')).toHaveText(otherName);
  const otherKeyId = (await otherRow.getAttribute('data-key-id')) ?? '';

  // Invite: the link is shown once, in the dialog.
  await page.goto('/users');
  await page.getByRole('button', { name: 'Invite user' }).click();
  const invite = page.getByRole('dialog', { name: 'Invite user' });
  await invite.getByLabel('E-mail').fill(memberEmail);
  await invite.getByLabel('Role').selectOption('member');
  await invite.getByLabel('Team', { exact: true }).selectOption({ label: teamName });
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  const link = (await invite.getByTestId('invite-link').textContent())?.trim() ?? '';
  expect(link).toMatch(/\/invite#sy-inv-[0-9A-Za-z]{43}$/);
  await invite.getByRole('button', { name: 'I have copied it' }).click();
  // Shown once: closing the dialog takes the link off the page.
  await expect(page.getByText(link)).toHaveCount(0);
  const memberRow = page.getByTestId('user-row').filter({ hasText: memberEmail });
  await expect(memberRow.getByTestId('user-status')).toHaveText('invited');
  await page.screenshot({ path: test.info().outputPath('users.png'), fullPage: true });

  // The invitee, in a browser of their own: accept, then sign in.
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await member.goto(link);
  await member.getByLabel('New password').fill(memberPassword);
  await member.getByLabel('Repeat it').fill(memberPassword);
  await member.getByRole('button', { name: 'Set password' }).click();
  await expect(member.getByTestId('invite-accepted')).toContainText(memberEmail);
  await member.getByRole('link', { name: 'Sign in' }).click();
  await member.getByLabel('Email').fill(memberEmail);
  await member.getByLabel('Password').fill(memberPassword);
  await member.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(member.getByTestId('current-user')).toContainText(`${memberEmail} (member)`, {
    timeout: 15_000,
  });

  // The link worked once.
  const again = await memberContext.newPage();
  await again.goto(link);
  await again.getByLabel('New password').fill('another password 123');
  await again.getByLabel('Repeat it').fill('another password 123');
  await again.getByRole('button', { name: 'Set password' }).click();
  await expect(again.getByText(/this invite link is not valid/)).toBeVisible();
  await again.close();

  // A member's console: no Users or API tokens; a key created lands in their team.
  await expect(
    member.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }),
  ).toHaveCount(0);
  await member.goto('/users');
  await expect(member.getByTestId('not-allowed')).toBeVisible();
  await member.goto('/keys');
  const keyName = `member key ${stamp}`;
  const plaintext = await createKeyInConsole(member, keyName, async (dialog) => {
    // A member's team is fixed: their own, the only choice.
    await expect(dialog.getByLabel('Team', { exact: true })).toHaveValue(teamId);
    await expect(dialog.getByLabel('Team', { exact: true }).locator('option')).toHaveCount(1);
  });
  await expect(member.getByTestId('key-row').filter({ hasText: keyName }).getByTestId('key-team')).toHaveText(
    teamName,
  );
  await expect(member.getByTestId('key-row').filter({ hasText: otherKeyName })).toHaveCount(0);

  // The member's key works through the router with the official SDK.
  const client = new OpenAI({
    apiKey: plaintext,
    baseURL: `${process.env.E2E_ROUTER_URL}/v1`,
    maxRetries: 0,
  });
  let content: string | null | undefined;
  await expect(async () => {
    const completion = await client.chat.completions.create({
      model: process.env.E2E_MODEL ?? '',
      messages: [{ role: 'user', content: 'hello from a team member' }],
    });
    content = completion.choices[0]?.message.content;
  }).toPass({ timeout: 5_000 });
  expect(content).toContain('hello from a team member');

  // With the member's own session, the other team's key does not exist, and cannot be revoked.
  const read = await member.request.get(`/api/admin/v1/keys/${otherKeyId}`);
  expect(read.status()).toBe(404);
  const revoke = await member.request.post(`/api/admin/v1/keys/${otherKeyId}/revoke`, {
    headers: { origin: new URL(member.url()).origin },
  });
  expect(revoke.status()).toBe(404);
  await member.goto(`/teams/${teamId}`);
  await expect(member.getByTestId('team-key-row').filter({ hasText: keyName })).toBeVisible();
  await member.screenshot({ path: test.info().outputPath('team-as-member.png'), fullPage: true });

  // The owner changes the member's role: their session ends at once.
  await page.goto('/users');
  await page.getByRole('button', { name: `Edit ${memberEmail}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${memberEmail}` });
  await edit.getByLabel('Role').selectOption('viewer');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(memberRow.getByTestId('user-role')).toHaveText('viewer');
  await member.goto('/keys');
  await expect(member).toHaveURL(/\/login/);
  expect((await member.request.get('/api/admin/v1/keys')).status()).toBe(401);
  await memberContext.close();
});

test('owner creates a read-only admin API token (shown once), a script uses it, and revoking it stops it', async ({
  page,
}) => {
  const name = `ci reader ${Date.now()}`;
  await signIn(page, '/tokens');
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create admin API token' });
  // A blank name is refused next to the field, and what was chosen stays.
  await dialog.getByLabel('Scope').selectOption('read');
  await dialog.getByRole('button', { name: 'Create token' }).click();
  await expect(dialog.getByTestId('field-error')).toHaveAttribute('data-field', 'name');
  await expect(dialog.getByLabel('Scope')).toHaveValue('read');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create token' }).click();
  const token = (await dialog.getByTestId('new-token-plaintext').textContent())?.trim() ?? '';
  expect(token).toMatch(/^sy-adm-[0-9A-Za-z]{43}$/);
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  const row = page.getByTestId('token-row').filter({ hasText: name });
  await expect(row.getByTestId('token-status')).toHaveText('active');
  await expect(page.getByText(token)).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('tokens.png'), fullPage: true });

  // A script: no cookies, just the token.
  const api = async (method: 'GET' | 'POST') =>
    fetch(`${process.env.E2E_DASHBOARD_URL}/api/admin/v1/keys`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'POST' ? JSON.stringify({ name: 'from a read token' }) : undefined,
    });
  expect((await api('GET')).status).toBe(200);
  expect((await api('POST')).status).toBe(403);

  // Revoke asks first; cancelling keeps the token.
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  const confirm = page.getByRole('dialog', { name: `Revoke ${name}?` });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await api('GET')).status).toBe(200);
  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(row.getByTestId('token-status')).toHaveText('revoked');
  expect((await api('GET')).status).toBe(401);
});
