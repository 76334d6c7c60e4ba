import type { Metadata } from 'next';
import { DestructiveActionButton } from '@/components/destructive-action-button';
import { LocalTime } from '@/components/local-time';
import { StatusBadge } from '@/components/ui/badge';
import { DialogButton } from '@/components/ui/dialog';
import { buttonClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { formatDecimalUsd, formatUtc } from '@/lib/format';
import { canWrite } from '@/server/actor';
import { getAdminContext } from '@/server/admin-context';
import { requireConsoleActor } from '@/server/console-session';
import { listPrices, type PriceView } from '@/server/prices';
import { listProviders } from '@/server/providers';
import { deletePriceAction } from './actions';
import { ImportForm } from './import-form';
import { PriceForm } from './price-form';

export const metadata: Metadata = { title: 'Pricing' };

const PRICE_COLUMNS: readonly TableColumn[] = [
  { label: 'Provider / vendor', gutter: true },
  { label: 'Model' },
  { label: 'Input', align: 'right' },
  { label: 'Cached in', align: 'right' },
  { label: 'Output', align: 'right' },
  { label: 'Other' },
  { label: 'Effective from' },
  { label: 'Status' },
  { label: 'History', gutter: true },
];

function usd(value: string | null | undefined): string {
  return value === undefined || value === null ? '—' : formatDecimalUsd(value);
}

/** Images, video, per-request fees and the long-context band, in one short line. */
function extras(price: PriceView): string {
  const parts: string[] = [];
  if (price.cacheWrite) parts.push(`cache write ${usd(price.cacheWrite)}`);
  if (price.reasoning) parts.push(`reasoning ${usd(price.reasoning)}`);
  if (price.longContext)
    parts.push(
      `>${price.longContext.aboveInputTokens.toLocaleString('en-US')} tok: ${usd(price.longContext.input)}/${usd(price.longContext.output)}`,
    );
  if (price.images?.length) parts.push(`${price.images.length} image sizes`);
  if (price.perImage) parts.push(`${usd(price.perImage)}/image`);
  if (price.videoPerSecond) parts.push(`video ${usd(price.videoPerSecond)}/s`);
  if (price.perRequest) parts.push(`${usd(price.perRequest)}/request`);
  return parts.join(' · ') || '—';
}

function seriesKey(price: PriceView): string {
  return `${price.providerId ?? ''}/${price.vendor ?? ''}/${price.model}`;
}

export default async function PricingPage() {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  const [history, providers] = await Promise.all([
    listPrices(ctx, actor, { history: 'true' }),
    listProviders(ctx, actor),
  ]);
  const writable = canWrite(actor);
  const bySeries = new Map<string, PriceView[]>();
  for (const price of history.items) {
    const list = bySeries.get(seriesKey(price)) ?? [];
    list.push(price);
    bySeries.set(seriesKey(price), list);
  }
  // One line per model: the row in force, or the next scheduled one when none is yet.
  const current = [...bySeries.values()].flatMap((rows) => {
    const shown = rows.find((row) => row.status === 'in_force') ?? rows.at(-1);
    return shown ? [shown] : [];
  });

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Pricing</h1>
          <p className="mt-1 text-sm text-slate-600">
            USD per million tokens unless noted. A provider’s own price wins over the catalog price of the
            same model id. History is kept: each row applies from its effective date until the next one.
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a
            href="/api/admin/v1/prices/export"
            download="switchyard-prices.json"
            className={buttonClass('secondary')}
            data-testid="prices-export"
          >
            Export JSON
          </a>
          {writable && (
            <>
              <DialogButton label="Import prices" variant="secondary" title="Import prices" size="xl">
                <ImportForm />
              </DialogButton>
              <DialogButton label="Add price" title="Add price" size="xl" testId="add-price-dialog">
                <PriceForm
                  providers={providers.items.map((provider) => ({ id: provider.id, name: provider.name }))}
                  now={ctx.now().toISOString()}
                />
              </DialogButton>
            </>
          )}
        </div>
      </div>

      <section
        aria-labelledby="prices-heading"
        className="rounded-xl border border-slate-200 bg-white shadow-sm"
      >
        <h2 id="prices-heading" className="px-6 pt-5 text-base font-semibold">
          Prices in force{' '}
          <span className="text-sm font-normal text-slate-500">({current.length} models)</span>
        </h2>
        {current.length === 0 ? (
          <p className="px-6 py-8 text-sm text-slate-500">No prices yet.</p>
        ) : (
          <Table columns={PRICE_COLUMNS}>
            {current.map((price) => {
              const rows = bySeries.get(seriesKey(price)) ?? [];
              return (
                <tr key={price.id} data-testid="price-row" data-model={price.model} className="align-top">
                  <td className="px-6 py-2 whitespace-nowrap">
                    {price.providerName ? (
                      <span>{price.providerName}</span>
                    ) : (
                      <span className="text-slate-600">
                        {price.vendor} <span className="text-xs text-slate-400">catalog</span>
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap font-mono text-xs">{price.model}</td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="price-input">
                    {usd(price.input)}
                  </td>
                  <td className="px-3 py-2 text-right tabular-nums">{usd(price.cachedInput)}</td>
                  <td className="px-3 py-2 text-right tabular-nums" data-testid="price-output">
                    {usd(price.output)}
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">{extras(price)}</td>
                  <td className="px-3 py-2 whitespace-nowrap text-slate-600">
                    <LocalTime iso={price.effectiveFrom} />
                  </td>
                  <td className="px-3 py-2" data-testid="price-status">
                    <StatusBadge status={price.status} />
                  </td>
                  <td className="px-6 py-2">
                    <details>
                      <summary className="cursor-pointer text-xs text-indigo-700">
                        {rows.length} {rows.length === 1 ? 'row' : 'rows'}
                      </summary>
                      <ul className="mt-1 space-y-1 text-xs text-slate-600" data-testid="price-history">
                        {rows.map((row) => (
                          <li key={row.id} className="whitespace-nowrap">
                            <LocalTime iso={row.effectiveFrom} />: in {usd(row.input)} / out {usd(row.output)}{' '}
                            <StatusBadge status={row.status} />
                            {writable && row.status === 'scheduled' && (
                              <span className="ml-2">
                                <DestructiveActionButton
                                  action={deletePriceAction}
                                  id={row.id}
                                  label="Withdraw"
                                  ariaLabel={`Withdraw ${row.model} from ${row.effectiveFrom}`}
                                  title={`Withdraw the ${row.model} price from ${formatUtc(row.effectiveFrom)}?`}
                                  description="The scheduled row is deleted and never takes effect; the price in force stays. Add it again to reschedule."
                                  done={`Scheduled ${row.model} price withdrawn.`}
                                  compact
                                />
                              </span>
                            )}
                          </li>
                        ))}
                      </ul>
                    </details>
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
