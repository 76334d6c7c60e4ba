import type { Metadata } from 'next';
import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { cardClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { listAccounts } from '@/server/accounts';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listProviders } from '@/server/providers';
import { AddProviderDialog } from './add-provider-dialog';
import { PROVIDER_KIND_DEFAULTS } from './provider-kind-defaults';

export const metadata: Metadata = { title: 'Providers' };

const PROVIDER_COLUMNS: readonly TableColumn[] = ['Name', 'Kind', 'Base URL', 'Accounts', 'Status'].map(
  (label) => ({ label }),
);

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
        <div className={cardClass}>
          <Table columns={PROVIDER_COLUMNS} testId="providers-table" className="">
            {providers.items.map((provider) => {
              const count = counts.get(provider.id) ?? { total: 0, enabled: 0, rejected: 0 };
              return (
                <tr key={provider.id}>
                  <td className="px-3 py-2 font-medium">
                    <Link href={`/providers/${provider.id}`} className="text-indigo-700 hover:underline">
                      {provider.name}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-slate-700">{PROVIDER_KIND_DEFAULTS[provider.kind].label}</td>
                  <td
                    className="max-w-xs truncate px-4 py-2 font-mono text-xs text-slate-600"
                    title={provider.baseUrl}
                  >
                    {provider.baseUrl}
                  </td>
                  <td className="px-3 py-2 text-slate-700">
                    {count.enabled} of {count.total} enabled
                    {count.rejected > 0 && (
                      <span className="ml-2">
                        <Badge tone="red">{`${count.rejected} credential${count.rejected === 1 ? '' : 's'} rejected`}</Badge>
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={provider.enabled ? 'green' : 'slate'}>
                      {provider.enabled ? 'Enabled' : 'Disabled'}
                    </Badge>
                  </td>
                </tr>
              );
            })}
          </Table>
        </div>
      )}
    </div>
  );
}
