'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { FieldError } from '@/components/ui/field';
import { buttonClass, cellInputClass } from '@/components/ui/styles';
import type { AccountView } from '@/server/accounts';
import { setAccountHealthCheckAction } from './actions';

type EnabledChoice = 'default' | 'on' | 'off';

/**
 * Active health checks per upstream account: on, off or the routers' default (HEALTH_CHECK_INTERVAL_MS > 0), at
 * the account's interval or the default's; next to each, what the routers apply.
 */
export function AccountHealthChecks({ accounts, writable }: { accounts: AccountView[]; writable: boolean }) {
  return (
    <section aria-labelledby="account-health-checks" className="space-y-3">
      <h2 id="account-health-checks" className="text-lg font-semibold">
        Active health checks
      </h2>
      <p className="text-sm text-slate-600">
        A check is one cheap authenticated request (e.g. GET /models) to an account that serves a route: a
        failing account opens its breakers before a client request pays for it, and a recovered one closes
        them.
      </p>
      <div className="relative overflow-x-auto">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead>
            <tr className="text-left text-xs font-medium text-slate-500">
              <th className="py-2 pr-4">Account</th>
              <th className="py-2 pr-4">Checks</th>
              <th className="py-2 pr-4">Interval (ms)</th>
              <th className="py-2 pr-4">Routers apply</th>
              <th className="py-2" />
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {accounts.map((account) => (
              <AccountRow key={account.id} account={account} writable={writable} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function AccountRow({ account, writable }: { account: AccountView; writable: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [enabled, setEnabled] = useState<EnabledChoice>(
    account.healthCheck.enabled === null ? 'default' : account.healthCheck.enabled ? 'on' : 'off',
  );
  const [intervalText, setIntervalText] = useState(
    account.healthCheck.intervalMs === null ? '' : String(account.healthCheck.intervalMs),
  );
  const [error, setError] = useState<{ field?: string; message: string } | null>(null);
  const effective = account.effectiveHealthCheck;
  const save = () =>
    startTransition(async () => {
      const result = await setAccountHealthCheckAction(account.id, {
        enabled: enabled === 'default' ? null : enabled === 'on',
        // Blank: the default. Text that is not a number goes as NaN, which the schema refuses naming the field.
        intervalMs: intervalText.trim() === '' ? null : Number(intervalText),
      });
      setError(result.error === null ? null : { field: result.field, message: result.error });
      if (result.error === null) router.refresh();
    });
  return (
    <tr data-testid="account-health-check" data-account={account.name}>
      <td className="py-2 pr-4 font-medium">{account.name}</td>
      <td className="py-2 pr-4">
        <select
          aria-label={`Health checks of ${account.name}`}
          value={enabled}
          disabled={!writable || pending}
          onChange={(event) => setEnabled(event.target.value as EnabledChoice)}
          className={`${cellInputClass} w-40`}
        >
          <option value="default">Routers' default</option>
          <option value="on">On</option>
          <option value="off">Off</option>
        </select>
      </td>
      <td className="py-2 pr-4">
        <input
          aria-label={`Health check interval of ${account.name}`}
          inputMode="numeric"
          value={intervalText}
          placeholder="default"
          disabled={!writable || pending}
          onChange={(event) => setIntervalText(event.target.value)}
          className={`${cellInputClass} w-28 tabular-nums`}
        />
        <FieldError field="healthCheck.intervalMs" error={error} />
      </td>
      <td className="py-2 pr-4 text-xs text-slate-600" data-testid="health-check-effective">
        {effective.enabled.value ? `every ${effective.intervalMs.value} ms` : 'off'}
        {effective.enabled.source === 'router_default' ? ' (HEALTH_CHECK_INTERVAL_MS)' : ''}
      </td>
      <td className="py-2">
        {writable && (
          <button type="button" onClick={save} disabled={pending} className={buttonClass('secondary', 'xs')}>
            Save
          </button>
        )}
        {error && !error.field && <span className="ml-2 text-xs text-red-700">{error.message}</span>}
      </td>
    </tr>
  );
}
