import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { LocalTime } from '@/components/local-time';
import { Badge } from '@/components/ui/badge';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { cardClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { listAccounts } from '@/server/accounts';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { AdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { getProvider, type ProviderView } from '@/server/providers';
import { updateAccountAction, updateProviderAction } from '../actions';
import { PROVIDER_KIND_DEFAULTS } from '../provider-kind-defaults';
import { AccountDialog } from './account-dialog';
import { EditProviderDialog } from './edit-provider-dialog';
import { TestConnectionButton } from './test-connection-button';

export const metadata: Metadata = { title: 'Provider' };

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

const ACCOUNT_COLUMNS: readonly TableColumn[] = [
  'Name',
  'Credential',
  'Weight',
  'Priority',
  'Health checks',
  'Status',
].map((label) => ({ label }));

export default async function ProviderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  let provider: ProviderView;
  try {
    provider = await getProvider(ctx, actor, id);
  } catch (error) {
    if (error instanceof AdminError && error.code === 'not_found') notFound();
    throw error;
  }
  const accounts = (await listAccounts(ctx, actor, { providerId: id })).items;
  const writable = canWrite(actor);
  const kind = PROVIDER_KIND_DEFAULTS[provider.kind];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/providers" className="text-sm text-indigo-700 hover:underline">
          ← Providers
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div className="min-w-0">
            <h1 className="text-2xl font-semibold tracking-tight">
              {provider.name}{' '}
              <Badge tone={provider.enabled ? 'green' : 'slate'}>
                {provider.enabled ? 'Enabled' : 'Disabled'}
              </Badge>
            </h1>
            <p className="mt-1 text-sm text-slate-600">
              {kind.label} · <span className="break-all font-mono text-xs">{provider.baseUrl}</span>
            </p>
          </div>
          {writable && (
            <div className="flex flex-wrap items-center gap-2">
              <EditProviderDialog
                provider={provider}
                accounts={accounts.map((account) => ({ id: account.id, name: account.name }))}
              />
              <ConfirmButton
                label={provider.enabled ? 'Disable provider' : 'Enable provider'}
                ariaLabel={provider.enabled ? `Disable ${provider.name}` : `Enable ${provider.name}`}
                title={provider.enabled ? `Disable “${provider.name}”?` : `Enable “${provider.name}”?`}
                description={
                  provider.enabled
                    ? 'Every router stops sending requests to all of its accounts within about a second. Routes fail over to their other targets, or fail if they have none.'
                    : 'Every router may send requests to its enabled accounts again within about a second.'
                }
                confirmLabel={provider.enabled ? 'Disable' : 'Enable'}
                destructive={provider.enabled}
                run={updateProviderAction.bind(null, provider.id, { enabled: !provider.enabled })}
              />
            </div>
          )}
        </div>
      </div>

      <section className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <h2 className="text-lg font-semibold">Accounts</h2>
          {writable && <AccountDialog providerId={provider.id} credentialLabel={kind.credentialLabel} />}
        </div>
        {accounts.length === 0 ? (
          <p className="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
            No accounts yet: add one with a credential from {kind.label} to send it traffic.
          </p>
        ) : (
          <div className={cardClass}>
            <Table
              columns={writable ? [...ACCOUNT_COLUMNS, { label: 'Actions' }] : ACCOUNT_COLUMNS}
              testId="accounts-table"
              className=""
            >
              {accounts.map((account) => (
                <tr key={account.id} data-testid={`account-row-${account.name}`} className="align-top">
                  <td className="px-3 py-2 font-medium">{account.name}</td>
                  <td className="px-3 py-2 font-mono text-xs" data-testid="credential-last4">
                    {account.credentialLast4 ? `••••${account.credentialLast4}` : '••••'}
                  </td>
                  <td className="px-3 py-2">{account.weight}</td>
                  <td className="px-3 py-2">{account.priority}</td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    {account.effectiveHealthCheck.enabled.value
                      ? `every ${seconds(account.effectiveHealthCheck.intervalMs.value)}`
                      : 'off'}
                    {account.healthCheck.enabled === null && account.healthCheck.intervalMs === null && (
                      <span className="block text-slate-400">as the routers decide</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    <Badge tone={account.enabled ? 'green' : 'slate'}>
                      {account.enabled ? 'Enabled' : 'Disabled'}
                    </Badge>
                    {account.credentialRejectedAt && (
                      <span
                        className="mt-1 block max-w-xs text-red-700"
                        title={account.credentialError ?? ''}
                      >
                        Credential rejected <LocalTime iso={account.credentialRejectedAt} />
                      </span>
                    )}
                  </td>
                  {writable && (
                    <td className="px-3 py-2">
                      <div className="flex flex-wrap items-start gap-2">
                        <AccountDialog
                          providerId={provider.id}
                          credentialLabel={kind.credentialLabel}
                          account={account}
                        />
                        <ConfirmButton
                          label={account.enabled ? 'Disable' : 'Enable'}
                          ariaLabel={account.enabled ? `Disable ${account.name}` : `Enable ${account.name}`}
                          title={account.enabled ? `Disable “${account.name}”?` : `Enable “${account.name}”?`}
                          description={
                            account.enabled
                              ? 'Every router stops sending it requests within about a second; its routes fail over to their other targets.'
                              : 'Every router may send it requests again within about a second.'
                          }
                          confirmLabel={account.enabled ? 'Disable' : 'Enable'}
                          destructive={account.enabled}
                          run={updateAccountAction.bind(null, provider.id, account.id, {
                            enabled: !account.enabled,
                          })}
                        />
                        <TestConnectionButton accountId={account.id} name={account.name} />
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </Table>
          </div>
        )}
      </section>
    </div>
  );
}
