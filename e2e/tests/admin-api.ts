import { type APIRequestContext, expect } from '@playwright/test';

/** The admin API through the browser's session cookie (page.request shares the context's cookies). */
export async function admin<T>(
  api: APIRequestContext,
  method: 'GET' | 'POST',
  path: string,
  data?: unknown,
): Promise<T> {
  const response = await api.fetch(`/api/admin/v1${path}`, { method, data });
  expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

/** The id of the seeded mock provider and of its account named `accountName`. */
export async function mockAccount(
  api: APIRequestContext,
  accountName: string,
): Promise<{ providerId: string; accountId: string }> {
  const providers = await admin<{ items: { id: string; name: string }[] }>(api, 'GET', '/providers');
  const providerId = providers.items.find((provider) => provider.name === 'mock')?.id ?? '';
  const accounts = await admin<{ items: { id: string; name: string }[] }>(
    api,
    'GET',
    `/accounts?providerId=${providerId}`,
  );
  return { providerId, accountId: accounts.items.find((account) => account.name === accountName)?.id ?? '' };
}
