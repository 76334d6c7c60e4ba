'use client';

import type { BreakerThresholds, EffectiveBreakerThresholds } from '@switchyard/core';
import { FieldError } from '@/components/ui/field';
import { cellInputClass } from '@/components/ui/styles';
import type { RouterReadback } from '@/server/router-readback';
import { BREAKER_FIELDS } from './route-draft';

const numberClass = `mt-1 w-28 tabular-nums ${cellInputClass}`;

/**
 * The route's circuit breaker thresholds: a blank input follows the routers' BREAKER_* setting, shown as its
 * placeholder; below, what the routers apply to this route's targets as saved (and where a shared target runs
 * other values).
 */
export function BreakerEditor({
  values,
  routers,
  effective,
  shared,
  writable,
  error,
  onChange,
}: {
  values: Record<keyof BreakerThresholds, string>;
  routers: RouterReadback;
  /** What the routers apply as saved; null for a route not saved yet. */
  effective: EffectiveBreakerThresholds | null;
  shared: { targetId: string; thresholds: BreakerThresholds }[];
  writable: boolean;
  error: { field?: string; message: string } | null;
  onChange: (values: Record<keyof BreakerThresholds, string>) => void;
}) {
  return (
    <div data-testid="breaker-editor">
      <div className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-5">
        {BREAKER_FIELDS.map((field) => (
          <div key={field.name}>
            <label htmlFor={`breaker-${field.name}`} className="text-xs font-medium text-slate-600">
              {field.label}
            </label>
            <input
              id={`breaker-${field.name}`}
              inputMode="decimal"
              value={values[field.name]}
              placeholder={String(routers.settings.breaker[field.name])}
              title={`Blank: the routers' ${field.env} (${routers.settings.breaker[field.name]})`}
              disabled={!writable}
              onChange={(event) => onChange({ ...values, [field.name]: event.target.value })}
              className={numberClass}
            />
            {effective && (
              <p data-testid={`breaker-effective-${field.name}`} className="mt-1 text-xs text-slate-500">
                Applied: {effective[field.name].value}
                {effective[field.name].source === 'route' ? ' (this route)' : ` (${field.env})`}
              </p>
            )}
            <FieldError field={`breaker.${field.name}`} error={error} />
          </div>
        ))}
      </div>
      {shared.length > 0 && (
        <p className="mt-3 text-xs text-amber-700">
          {shared.length === 1 ? 'One target is' : `${shared.length} targets are`} shared with another route
          whose thresholds are stricter: a breaker belongs to the account and upstream model, so those targets
          run the more protective value of each threshold.
        </p>
      )}
    </div>
  );
}
