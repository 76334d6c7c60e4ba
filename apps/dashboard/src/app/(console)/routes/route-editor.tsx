'use client';

import type { MissingPricePolicy, RoutePolicy, TrafficClass } from '@switchyard/core';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FieldError } from '@/components/ui/field';
import { buttonClass, cellInputClass, inputClass } from '@/components/ui/styles';
import { Table, type TableColumn } from '@/components/ui/table';
import { useHydrated } from '@/components/use-hydrated';
import type { RouterReadback } from '@/server/router-readback';
import type { RouteView } from '@/server/routes';
import { deleteRouteAction, saveRouteAction } from './actions';
import { BreakerEditor } from './breaker-editor';
import { PolicyEditor } from './policy-editor';
import {
  bodyFrom,
  draftFrom,
  MISSING_PRICE_POLICIES,
  newTargetKey,
  type PolicyDraft,
  policyDraft,
  type RouteDraft,
  type TargetDraft,
} from './route-draft';

/** An upstream account a target can use, labelled "provider / account". */
export interface AccountOption {
  id: string;
  label: string;
}

type SaveError = { field?: string; message: string };

const sectionClass = 'rounded-xl border border-slate-200 bg-white p-6 shadow-sm';

const TARGET_COLUMNS: readonly TableColumn[] = [
  { label: 'Account' },
  { label: 'Upstream model' },
  { label: 'Tier' },
  { label: 'Weight' },
  { label: 'Enabled' },
  { label: 'Remove', srOnly: true },
];

/**
 * Creates or edits a route: names, targets (tiers, weights, enabled), backup models, the failover policy per
 * traffic class and the billing policies (missing prices, costlier fallback). Saves through the same schemas and
 * server functions as the admin API, so an error names the same field and shows next to its input.
 */
export function RouteEditor({
  route,
  accounts,
  otherModels,
  defaults,
  routers,
  writable,
}: {
  route: RouteView | null;
  accounts: AccountOption[];
  otherModels: string[];
  defaults: Record<TrafficClass, RoutePolicy>;
  /** What the live routers apply where a route is silent or capped (the attempts cap, breaker defaults). */
  routers: RouterReadback;
  writable: boolean;
}) {
  const router = useRouter();
  const [draft, setDraft] = useState<RouteDraft>(() => draftFrom(route, defaults));
  const [error, setError] = useState<SaveError | null>(null);
  const [saved, setSaved] = useState(false);
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();

  const update = (changes: Partial<RouteDraft>) => {
    setSaved(false);
    setDraft((current) => ({ ...current, ...changes }));
  };
  const updateTarget = (key: string, changes: Partial<TargetDraft>) =>
    update({
      targets: draft.targets.map((target) => (target.key === key ? { ...target, ...changes } : target)),
    });
  const updatePolicy = (trafficClass: TrafficClass, policy: PolicyDraft) =>
    update({
      policies: {
        ...draft.policies,
        // Turning an override off shows the default again, which is what the routers will apply.
        [trafficClass]: policy.override ? policy : policyDraft(defaults[trafficClass], false),
      },
    });

  const save = () =>
    startTransition(async () => {
      const result = await saveRouteAction(route?.id ?? null, bodyFrom(draft));
      if (result.status === 'error') {
        setError({ field: result.field, message: result.message });
        return;
      }
      setError(null);
      if (route === null) {
        router.push(`/routes/${result.route.id}`);
        return;
      }
      setDraft(draftFrom(result.route, defaults));
      setSaved(true);
      router.refresh();
    });

  return (
    <form
      className="space-y-6"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <fieldset disabled={!hydrated || !writable || pending} className="space-y-6">
        <section aria-labelledby="route-names" className={sectionClass}>
          <h2 id="route-names" className="text-base font-semibold">
            Names
          </h2>
          <div className="mt-4 grid gap-4 sm:grid-cols-2">
            <div>
              <label htmlFor="route-public-model" className="block text-sm font-medium text-slate-700">
                Public model
              </label>
              <input
                id="route-public-model"
                value={draft.publicModel}
                onChange={(event) => update({ publicModel: event.target.value })}
                placeholder="chat-fast"
                className={inputClass}
              />
              <FieldError field="publicModel" error={error} />
            </div>
            <div>
              <label htmlFor="route-aliases" className="block text-sm font-medium text-slate-700">
                Aliases
              </label>
              <input
                id="route-aliases"
                value={draft.aliases}
                onChange={(event) => update({ aliases: event.target.value })}
                placeholder="comma-separated"
                className={inputClass}
              />
              <FieldError field="aliases" error={error} />
            </div>
            <div>
              <label htmlFor="route-description" className="block text-sm font-medium text-slate-700">
                Description
              </label>
              <input
                id="route-description"
                value={draft.description}
                onChange={(event) => update({ description: event.target.value })}
                className={inputClass}
              />
              <FieldError field="description" error={error} />
            </div>
            <label className="flex items-center gap-2 self-end pb-2 text-sm">
              <input
                type="checkbox"
                checked={draft.enabled}
                onChange={(event) => update({ enabled: event.target.checked })}
              />
              Route enabled
            </label>
          </div>
        </section>

        <section aria-labelledby="route-targets" className={sectionClass}>
          <h2 id="route-targets" className="text-base font-semibold">
            Targets
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Lower tiers are tried first; a higher tier only when no target of the tiers below is healthy.
            Inside a tier, traffic is split by weight (0 drains a target).
          </p>
          <FieldError field="targets" error={error?.field === 'targets' ? error : null} />
          <Table columns={TARGET_COLUMNS}>
            {draft.targets.map((target, index) => (
              <tr key={target.key} data-testid="target-editor" className="align-top">
                <td className="px-3 py-1">
                  <select
                    aria-label={`Target ${index + 1} account`}
                    value={target.accountId}
                    onChange={(event) => updateTarget(target.key, { accountId: event.target.value })}
                    className={`${cellInputClass} w-full`}
                  >
                    <option value="">Choose an account…</option>
                    {accounts.map((account) => (
                      <option key={account.id} value={account.id}>
                        {account.label}
                      </option>
                    ))}
                  </select>
                  <FieldError field={`targets[${index}].accountId`} error={error} />
                  <FieldError field={`targets[${index}].id`} error={error} />
                </td>
                <td className="px-3 py-1">
                  <input
                    aria-label={`Target ${index + 1} upstream model`}
                    value={target.upstreamModel}
                    onChange={(event) => updateTarget(target.key, { upstreamModel: event.target.value })}
                    className={`${cellInputClass} w-full font-mono`}
                  />
                  <FieldError field={`targets[${index}].upstreamModel`} error={error} />
                </td>
                <td className="w-24 px-3 py-1">
                  <input
                    aria-label={`Target ${index + 1} tier`}
                    inputMode="numeric"
                    value={target.tier}
                    onChange={(event) => updateTarget(target.key, { tier: event.target.value })}
                    className={`${cellInputClass} w-full tabular-nums`}
                  />
                  <FieldError field={`targets[${index}].tier`} error={error} />
                </td>
                <td className="w-24 px-3 py-1">
                  <input
                    aria-label={`Target ${index + 1} weight`}
                    inputMode="numeric"
                    value={target.weight}
                    onChange={(event) => updateTarget(target.key, { weight: event.target.value })}
                    className={`${cellInputClass} w-full tabular-nums`}
                  />
                  <FieldError field={`targets[${index}].weight`} error={error} />
                </td>
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Target ${index + 1} enabled`}
                    checked={target.enabled}
                    onChange={(event) => updateTarget(target.key, { enabled: event.target.checked })}
                  />
                </td>
                <td className="px-3 py-1">
                  <button
                    type="button"
                    onClick={() =>
                      update({
                        targets: draft.targets.filter((candidate) => candidate.key !== target.key),
                      })
                    }
                    className="rounded-md px-2 py-1 text-xs text-red-700 hover:bg-red-50"
                  >
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </Table>
          <button
            type="button"
            onClick={() =>
              update({
                targets: [
                  ...draft.targets,
                  {
                    key: newTargetKey(),
                    accountId: accounts[0]?.id ?? '',
                    upstreamModel: '',
                    tier: '0',
                    weight: '1',
                    enabled: true,
                  },
                ],
              })
            }
            className="mt-3 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            Add target
          </button>
        </section>

        <section aria-labelledby="route-backups" className={sectionClass}>
          <h2 id="route-backups" className="text-base font-semibold">
            Fallback models
          </h2>
          <label htmlFor="route-backup-models" className="mt-1 block text-sm text-slate-600">
            Other routes this one may fall back to, in preference order (comma-separated), when the policy of
            the request's traffic class allows a backup model.
          </label>
          <input
            id="route-backup-models"
            value={draft.backupModels}
            onChange={(event) => update({ backupModels: event.target.value })}
            placeholder={otherModels.slice(0, 2).join(', ') || 'no other routes yet'}
            className={`${inputClass} font-mono`}
          />
          <FieldError field="backupModels" error={error} />
          <label htmlFor="route-context-fallback" className="mt-4 block text-sm font-medium text-slate-700">
            Context-window fallback model
          </label>
          <p className="text-sm text-slate-600">
            A route with a larger context window, tried when the upstream says the prompt is too long (the one
            client error that may change the model, and only where the policy allows a backup model).
          </p>
          <input
            id="route-context-fallback"
            value={draft.contextFallbackModel}
            onChange={(event) => update({ contextFallbackModel: event.target.value })}
            placeholder="none"
            className={`${inputClass} font-mono`}
          />
          <FieldError field="contextFallbackModel" error={error} />
          {otherModels.length > 0 && (
            <p className="mt-1 text-xs text-slate-500">
              Routes: <span className="font-mono">{otherModels.join(', ')}</span>
            </p>
          )}
        </section>

        <section aria-labelledby="route-policies" className={sectionClass}>
          <h2 id="route-policies" className="text-base font-semibold">
            Failover policy per traffic class
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            Which rungs of the failover ladder a request may climb, how many upstream attempts it may make,
            and its timeouts. Classes without an override use the defaults shown.
          </p>
          <div className="mt-4 space-y-4">
            {(Object.keys(draft.policies) as TrafficClass[]).map((trafficClass) => (
              <PolicyEditor
                key={trafficClass}
                trafficClass={trafficClass}
                policy={draft.policies[trafficClass]}
                attemptsCap={routers.settings.maxAttempts}
                writable={writable}
                error={error}
                onChange={(policy) => updatePolicy(trafficClass, policy)}
              />
            ))}
          </div>
        </section>

        <section aria-labelledby="route-breaker" className={sectionClass}>
          <h2 id="route-breaker" className="text-base font-semibold">
            Circuit breaker
          </h2>
          <p className="mt-1 text-sm text-slate-600">
            When a target stops taking traffic: after this many failures in a row, or at this failure rate
            over the window once it holds the minimum requests; then for the cool-down. Blank fields follow
            the routers' defaults, shown greyed.
          </p>
          <BreakerEditor
            values={draft.breaker}
            routers={routers}
            effective={route?.effectiveBreaker ?? null}
            shared={route?.sharedBreakers ?? []}
            writable={writable}
            error={error}
            onChange={(breaker) => update({ breaker })}
          />
        </section>

        <section aria-labelledby="route-billing" className={sectionClass}>
          <h2 id="route-billing" className="text-base font-semibold">
            Billing
          </h2>
          <div className="mt-4 grid gap-4 sm:grid-cols-2">
            <div>
              <label
                htmlFor="route-missing-price-policy"
                className="block text-sm font-medium text-slate-700"
              >
                Missing-price policy
              </label>
              <select
                id="route-missing-price-policy"
                value={draft.missingPricePolicy}
                // The select offers only the two policies; the server's schema checks the value anyway.
                onChange={(event) => update({ missingPricePolicy: event.target.value as MissingPricePolicy })}
                className={inputClass}
              >
                {MISSING_PRICE_POLICIES.map((policy) => (
                  <option key={policy.value} value={policy.value}>
                    {policy.label}
                  </option>
                ))}
              </select>
              <FieldError field="missingPricePolicy" error={error} />
            </div>
            <div className="self-end">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={draft.allowCostlierFallback}
                  aria-describedby="route-costlier-fallback-help"
                  onChange={(event) => update({ allowCostlierFallback: event.target.checked })}
                />
                Allow fallback to a costlier target
              </label>
              <p id="route-costlier-fallback-help" className="mt-1 text-xs text-slate-500">
                Unticked: failover never moves to a target priced above the request's primary target; targets
                without a price are left to the missing-price policy.
              </p>
              <FieldError field="allowCostlierFallback" error={error} />
            </div>
            <div className="self-end">
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  name="capturePayloads"
                  checked={draft.capturePayloads}
                  aria-describedby="route-capture-payloads-help"
                  onChange={(event) => update({ capturePayloads: event.target.checked })}
                />
                Capture payloads
              </label>
              <p id="route-capture-payloads-help" className="mt-1 text-xs text-slate-500">
                Stores each request's body and the answer (a stream's events) for the request explorer, cut at
                PAYLOAD_CAPTURE_MAX_BYTES each (64 KiB by default) and deleted after PAYLOAD_RETENTION_DAYS (7
                by default). Request headers are never stored.
              </p>
              <FieldError field="capturePayloads" error={error} />
            </div>
          </div>
        </section>
      </fieldset>

      {error && (
        <p
          role="alert"
          data-testid="save-error"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700"
        >
          {error.message}
        </p>
      )}
      {writable && (
        <div className="flex items-center gap-3">
          <button type="submit" disabled={!hydrated || pending} className={buttonClass('primary')}>
            {route === null ? 'Create route' : 'Save route'}
          </button>
          {pending && <span className="text-sm text-slate-500">Saving…</span>}
          {saved && (
            <span role="status" className="text-sm text-emerald-700">
              Saved.
            </span>
          )}
          {route !== null && (
            <ConfirmButton
              label="Delete route"
              ariaLabel={`Delete route ${route.publicModel}`}
              title={`Delete route “${route.publicModel}”?`}
              description="Every router stops answering to this model name within about a second; requests for it fail with 404. Usage already recorded stays. This cannot be undone."
              confirmLabel="Delete route"
              destructive
              size="md"
              className="ml-auto"
              done={`Route “${route.publicModel}” deleted.`}
              run={async () => {
                const result = await deleteRouteAction(route.id);
                return result.error ? { ok: false, message: result.error } : { ok: true };
              }}
              afterSuccess={() => router.push('/routes')}
            />
          )}
        </div>
      )}
    </form>
  );
}
