import type { Metadata } from 'next';
import Link from 'next/link';
import { listAccounts } from '@/server/accounts';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listProviders } from '@/server/providers';
import { AddProviderDialog } from './add-provider-dialog';
import { PROVIDER_KIND_DEFAULTS } from './provider-kind-defaults';

export const metadata: Metadata = { title: 'Providers' };

export default async function ProvidersPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [providers, accounts] = await Promise.all([listProviders(ctx, actor), listAccounts(ctx, actor, {})]);
  const counts = new Map<string, { total: number; enabled: number; rejected: number }>();
  for (const account of accounts.items) {
    const count = counts.get(account.providerId) ?? { total: 0, enabled: 0, rejected: 0 };
    count.total += 1;
    if (account.enabled) count.enabled += 1;
    if (account.credentialRejectedAt) count.rejected += 1;
    counts.set(account.providerId, count);
  }
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Providers</h1>
          <p className="mt-1 text-sm text-slate-600">
            The upstream APIs the routers send requests to, and the accounts (credentials) used at each.
            Routes pick among accounts by priority and weight.
          </p>
        </div>
        {canWrite(actor) && <AddProviderDialog />}
      </div>
      {providers.items.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
          No providers yet. {canWrite(actor) ? 'Add one to start routing requests.' : ''}
        </p>
      ) : (
        <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
          <table className="min-w-full text-sm" data-testid="providers-table">
            <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th className="px-4 py-2">Name</th>
                <th className="px-4 py-2">Kind</th>
                <th className="px-4 py-2">Base URL</th>
                <th className="px-4 py-2">Accounts</th>
                <th className="px-4 py-2">Status</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {providers.items.map((provider) => {
                const count = counts.get(provider.id) ?? { total: 0, enabled: 0, rejected: 0 };
                return (
                  <tr key={provider.id}>
                    <td className="px-4 py-2 font-medium">
                      <Link href={`/providers/${provider.id}`} className="text-indigo-700 hover:underline">
                        {provider.name}
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-slate-700">
                      {PROVIDER_KIND_DEFAULTS[provider.kind].label}
                    </td>
                    <td
                      className="max-w-xs truncate px-4 py-2 font-mono text-xs text-slate-600"
                      title={provider.baseUrl}
                    >
                      {provider.baseUrl}
                    </td>
                    <td className="px-4 py-2 text-slate-700">
                      {count.enabled} of {count.total} enabled
                      {count.rejected > 0 && (
                        <span className="ml-2 rounded bg-red-50 px-1.5 py-0.5 text-xs text-red-700">
                          {count.rejected} credential{count.rejected === 1 ? '' : 's'} rejected
                        </span>
                      )}
                    </td>
                    <td className="px-4 py-2">
                      <span
                        className={`rounded px-1.5 py-0.5 text-xs ${provider.enabled ? 'bg-emerald-50 text-emerald-700' : 'bg-slate-100 text-slate-600'}`}
                      >
                        {provider.enabled ? 'Enabled' : 'Disabled'}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
