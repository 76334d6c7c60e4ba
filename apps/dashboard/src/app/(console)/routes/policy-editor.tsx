'use client';

import type { TrafficClass } from '@switchyard/core';
import { FieldError } from '@/components/ui/field';
import { cellInputClass } from '@/components/ui/styles';
import { type PolicyDraft, RUNGS, TIMEOUTS } from './route-draft';

const numberClass = `mt-1 w-28 tabular-nums ${cellInputClass}`;

/** The rung no policy of this class may turn on. */
function lockedRung(trafficClass: TrafficClass): string | null {
  return trafficClass === 'evaluation' ? 'backupModel' : null;
}

/** One traffic class's failover policy: the default (read-only) or the route's override. */
export function PolicyEditor({
  trafficClass,
  policy,
  attemptsCap,
  writable,
  error,
  onChange,
}: {
  trafficClass: TrafficClass;
  policy: PolicyDraft;
  /** The routers' ROUTER_MAX_ATTEMPTS: a policy asking for more gets this many. */
  attemptsCap: number;
  writable: boolean;
  error: { field?: string; message: string } | null;
  onChange: (policy: PolicyDraft) => void;
}) {
  const path = `policies.${trafficClass}`;
  const editable = writable && policy.override;
  const id = (name: string) => `policy-${trafficClass}-${name}`;
  return (
    <fieldset
      data-testid="policy-editor"
      data-traffic-class={trafficClass}
      className="rounded-lg border border-slate-200 p-4"
    >
      <legend className="px-1 text-sm font-semibold">{trafficClass}</legend>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={policy.override}
          disabled={!writable}
          onChange={(event) => onChange({ ...policy, override: event.target.checked })}
        />
        Override the default policy
      </label>
      <FieldError field={path} error={error?.field === path ? error : null} />
      <div className="mt-3 grid gap-4 lg:grid-cols-[2fr_1fr_3fr]">
        <div>
          <p className="text-xs font-medium text-slate-600">Failover rungs</p>
          {RUNGS.map((rung) => {
            const locked = lockedRung(trafficClass) === rung.name;
            return (
              <div key={rung.name}>
                <label className="mt-1 flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={policy.rungs[rung.name]}
                    disabled={!editable || locked}
                    onChange={(event) =>
                      onChange({ ...policy, rungs: { ...policy.rungs, [rung.name]: event.target.checked } })
                    }
                  />
                  {rung.label}
                  {locked && (
                    <span className="text-xs text-slate-500">(never: evaluation keeps the model)</span>
                  )}
                </label>
                <FieldError field={`${path}.rungs.${rung.name}`} error={error} />
              </div>
            );
          })}
        </div>
        <div>
          <label htmlFor={id('max-attempts')} className="text-xs font-medium text-slate-600">
            Max attempts
          </label>
          <input
            id={id('max-attempts')}
            inputMode="numeric"
            value={policy.maxAttempts}
            disabled={!editable}
            onChange={(event) => onChange({ ...policy, maxAttempts: event.target.value })}
            className={numberClass}
          />
          {Number(policy.maxAttempts) > attemptsCap && (
            <p data-testid="attempts-cap" className="mt-1 text-xs text-amber-700">
              Routers make {attemptsCap}: ROUTER_MAX_ATTEMPTS caps it.
            </p>
          )}
          <FieldError field={`${path}.maxAttempts`} error={error} />
        </div>
        <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
          {TIMEOUTS.map((timeout) => (
            <div key={timeout.name}>
              <label htmlFor={id(timeout.name)} className="text-xs font-medium text-slate-600">
                {timeout.label} (ms)
              </label>
              <input
                id={id(timeout.name)}
                inputMode="numeric"
                value={policy.timeouts[timeout.name]}
                disabled={!editable}
                onChange={(event) =>
                  onChange({
                    ...policy,
                    timeouts: { ...policy.timeouts, [timeout.name]: event.target.value },
                  })
                }
                className={numberClass}
              />
              <FieldError field={`${path}.timeouts.${timeout.name}`} error={error} />
            </div>
          ))}
        </div>
      </div>
    </fieldset>
  );
}
