import type { Metadata } from 'next';
import Link from 'next/link';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listRoutes } from '@/server/routes';

export const metadata: Metadata = { title: 'Routes' };

const ROUTE_COLUMNS: readonly TableColumn[] = [
  { label: 'Model', gutter: true },
  { label: 'Aliases' },
  { label: 'Status' },
  { label: 'Targets', align: 'right' },
  { label: 'Tiers', align: 'right' },
  { label: 'Fallbacks' },
  { label: 'Policy overrides' },
  { label: 'Billing' },
  { label: 'Updated' },
  { label: 'Actions', srOnly: true, gutter: true },
];

export default async function RoutesPage() {
  const actor = await requireConsoleActor();
  const routes = await listRoutes(getAdminContext(), actor);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Routes</h1>
          <p className="mt-1 text-sm text-slate-600">
            A route maps the model name callers send to tiers of targets (upstream account + model), weighted
            inside a tier, with approved backup models and a failover policy per traffic class.
          </p>
        </div>
        {canWrite(actor) && (
          <Link href="/routes/new" className={buttonClass('primary')}>
            New route
          </Link>
        )}
      </div>
      <section className="rounded-xl border border-slate-200 bg-white shadow-sm">
        {routes.items.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">No routes yet.</p>
        ) : (
          <Table columns={ROUTE_COLUMNS} className="">
            {routes.items.map((route) => {
              const enabledTargets = route.targets.filter((target) => target.enabled).length;
              const tiers = new Set(route.targets.map((target) => target.tier)).size;
              const overrides = Object.keys(route.policies);
              return (
                <tr key={route.id} data-testid="route-row" data-route={route.publicModel}>
                  <td className="px-6 py-2 whitespace-nowrap font-mono text-xs font-medium">
                    {route.publicModel}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs text-slate-600">
                    {route.aliases.join(', ') || '—'}
                  </td>
                  <td className="px-3 py-2">
                    <StatusBadge status={route.enabled ? 'active' : 'disabled'} />
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">
                    {enabledTargets}/{route.targets.length}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{tiers}</td>
                  <td className="px-3 py-2 font-mono text-xs text-slate-600">
                    {route.backupModels.join(' → ') || '—'}
                    {route.contextFallbackModel && (
                      <span className="block font-sans text-slate-500">
                        context: <span className="font-mono">{route.contextFallbackModel}</span>
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{overrides.join(', ') || 'defaults'}</td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600" data-testid="route-billing">
                    missing price: {route.missingPricePolicy}
                    <span className="block text-slate-500">
                      costlier fallback: {route.allowCostlierFallback ? 'yes' : 'no'}
                    </span>
                    {route.capturePayloads && (
                      <span className="block text-amber-700" data-testid="route-captures-payloads">
                        captures payloads
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                    <LocalTime iso={route.updatedAt} />
                  </td>
                  <td className="px-6 py-2 text-right">
                    <Link
                      href={`/routes/${route.id}`}
                      aria-label={`Edit ${route.publicModel}`}
                      className="text-sm font-medium text-indigo-700 hover:underline"
                    >
                      {canWrite(actor) ? 'Edit' : 'View'}
                    </Link>
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </section>
    </div>
  );
}
