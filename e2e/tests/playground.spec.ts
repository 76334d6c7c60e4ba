import { expect, test } from '@playwright/test';
import { signIn } from './sign-in';

// The playground runs the onboarding runbook's four smoke tests against the real router and the mock provider,
// through a key it mints for the run and revokes at the end; each result carries its response metadata and a link
// to its row in the request explorer.

test('the playground runs chat, streaming, tools and a bad model, each with its metadata', async ({
  page,
}) => {
  const model = process.env.E2E_MODEL ?? '';
  await signIn(page, '/playground');
  await expect(page.getByRole('link', { name: 'Playground' })).toHaveAttribute('aria-current', 'page');
  await page.getByLabel('Model', { exact: true }).selectOption(model);
  await page.getByRole('button', { name: 'Run the four smoke tests' }).click();

  const status = page.getByTestId('playground-key-status');
  await expect(status).toContainText(/Key sk-sy-\S*…/, { timeout: 30_000 });
  await expect(status).toContainText('revoked');

  const chat = page.getByTestId('smoke-chat');
  await expect(chat.getByTestId('smoke-verdict')).toHaveText('passed');
  await expect(chat.getByTestId('smoke-output')).toContainText('Say hello to Switchyard from the playground');
  const chatCall = chat.getByTestId('playground-call');
  await expect(chatCall).toHaveCount(1);
  await expect(chatCall.getByTestId('call-status')).toHaveText('200');
  await expect(chatCall.getByTestId('call-served')).toHaveText('mock-gpt-4o-mini · mock');
  await expect(chatCall.getByTestId('call-latency')).toHaveText(/^\d[\d,]* ms$/);
  await expect(chatCall.getByTestId('call-tokens')).toHaveText(/^\d+ \/ \d+$/);
  // Cost comes from the usage row, written in batches: it appears once the row is there.
  await expect(chatCall.getByTestId('call-cost')).toHaveText(/^\$0\.\d+$/, { timeout: 15_000 });
  const link = chatCall.getByTestId('request-link');
  const requestId = (await link.textContent())?.trim() ?? '';
  expect(requestId).not.toBe('');
  await expect(link).toHaveAttribute('href', `/requests/${requestId}`);

  const stream = page.getByTestId('smoke-stream');
  await expect(stream.getByTestId('smoke-verdict')).toHaveText('passed');
  // The mock streams one word a chunk: the page shows each chunk it received.
  const chunks = Number(await stream.getByTestId('stream-chunk-count').textContent());
  expect(chunks).toBeGreaterThan(3);
  await expect(stream.getByTestId('stream-chunk')).toHaveCount(chunks);
  await expect(stream.getByTestId('stream-ttft')).toHaveText(/^\d[\d,]* ms$/);
  await expect(stream.getByTestId('smoke-output')).toContainText('deterministic mock completion.');
  await expect(stream.getByTestId('call-tokens')).toHaveText(/^\d+ \/ \d+$/);
  await expect(stream.getByTestId('request-link')).toHaveAttribute('href', /^\/requests\/.+/);

  const tools = page.getByTestId('smoke-tools');
  await expect(tools.getByTestId('smoke-verdict')).toHaveText('passed');
  await expect(tools.getByTestId('smoke-output')).toContainText('get_weather(');
  await expect(tools.getByTestId('smoke-output')).toContainText('tool result: {"temperature_c":21');
  await expect(tools.getByTestId('playground-call')).toHaveCount(2);
  await expect(tools.getByTestId('call-status')).toHaveText(['200', '200']);

  const bad = page.getByTestId('smoke-bad-model');
  await expect(bad.getByTestId('smoke-verdict')).toHaveText('passed');
  await expect(bad.getByTestId('smoke-error')).toHaveText('HTTP 404 · model_not_found');
  await expect(bad.getByTestId('call-status')).toHaveText('404');
  await expect(bad.getByTestId('request-link')).toHaveAttribute('href', /^\/requests\/.+/);

  // For the CI artifacts (not committed): the page after a run.
  await page.screenshot({ path: test.info().outputPath('playground.png'), fullPage: true });

  // The run's key is revoked, and listed as such.
  await page.goto('/keys');
  const row = page.getByRole('row').filter({ hasText: 'playground ·' }).first();
  await expect(row).toContainText('revoked');
});

test('the playground route refuses callers without a session, forged sessions and cross-site posts', async ({
  page,
  playwright,
  baseURL,
}) => {
  const model = process.env.E2E_MODEL ?? '';
  const anonymous = await playwright.request.newContext({ baseURL });
  const unauthenticated = await anonymous.post('/api/playground/chat', { data: { session: 'x', model } });
  expect(unauthenticated.status()).toBe(401);
  await anonymous.dispose();

  await signIn(page, '/playground');
  const forged = await page.request.post('/api/playground/chat', { data: { session: 'forged', model } });
  expect(forged.status()).toBe(400);
  expect((await forged.json()).error).toMatchObject({ code: 'invalid_request', field: 'session' });

  const unknown = await page.request.post('/api/playground/embeddings', { data: { session: 'x', model } });
  expect(unknown.status()).toBe(404);

  const crossSite = await page.request.post('/api/playground/chat', {
    data: { session: 'x', model },
    headers: { origin: 'http://evil.example' },
  });
  expect(crossSite.status()).toBe(403);
});

test('the stream reaches the page chunk by chunk, not at the end', async ({ page }) => {
  const mock = process.env.E2E_MOCK_ORIGIN ?? '';
  // The mock waits between chunks, so a relay that buffered the stream would show nothing until the end.
  const set = await fetch(`${mock}/__mock/faults`, {
    method: 'POST',
    body: JSON.stringify({ chunkGapMs: 250 }),
  });
  expect(set.status).toBe(200);
  try {
    await signIn(page, '/playground');
    await page.getByRole('button', { name: 'Run the four smoke tests' }).click();
    const stream = page.getByTestId('smoke-stream');
    await expect(stream.getByTestId('stream-chunk')).not.toHaveCount(0, { timeout: 30_000 });
    // Chunks are on the page while the stream is still open.
    await expect(stream.getByTestId('smoke-verdict')).toHaveText('running…');
    await expect(stream.getByTestId('smoke-verdict')).toHaveText('passed', { timeout: 30_000 });
    await expect(page.getByTestId('smoke-bad-model').getByTestId('smoke-verdict')).toHaveText('passed', {
      timeout: 30_000,
    });
  } finally {
    await fetch(`${mock}/__mock/faults`, { method: 'DELETE' });
  }
});
