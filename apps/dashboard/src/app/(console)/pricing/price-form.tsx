'use client';

import { useState } from 'react';
import { DialogActions, useCloseDialog } from '@/components/ui/dialog';
import { FieldError, FormAlert } from '@/components/ui/field';
import { inputClass } from '@/components/ui/styles';
import { useToast } from '@/components/ui/toast';
import { useActionForm } from '@/components/ui/use-action-form';
import { formatUtc } from '@/lib/format';
import { createPriceAction, type PriceFormState } from './actions';

const AMOUNT_FIELDS = [
  { name: 'input', label: 'Input / 1M tokens' },
  { name: 'output', label: 'Output / 1M tokens' },
  { name: 'cachedInput', label: 'Cached input / 1M' },
  { name: 'cacheWrite', label: 'Cache write / 1M' },
  { name: 'reasoning', label: 'Reasoning / 1M' },
  { name: 'perImage', label: 'Per image' },
  { name: 'perRequest', label: 'Per request' },
] as const;

/** "2030-01-15T10:30" for a datetime-local input, in UTC. */
function utcInputValue(date: Date): string {
  return date.toISOString().slice(0, 16);
}

const INITIAL: PriceFormState = { status: 'idle' };

/** "Add price", in a dialog: each message under its field; once added, the dialog closes and a toast says so. */
export function PriceForm({ providers, now }: { providers: { id: string; name: string }[]; now: string }) {
  const close = useCloseDialog();
  const toast = useToast();
  const { state, pending, formProps } = useActionForm<PriceFormState>(
    async (previous, form) => {
      const next = await createPriceAction(previous, form);
      if (next.status === 'saved') {
        const { provider, model, effectiveFrom, status } = next.price;
        toast(`Added ${provider}/${model} from ${formatUtc(effectiveFrom)} (${status}).`);
        close();
      }
      return next;
    },
    INITIAL,
    (next) => next.status === 'saved',
  );
  const [target, setTarget] = useState('vendor');
  const error = state.status === 'error' ? state : null;
  return (
    <form {...formProps} className="mt-4 grid gap-4 sm:grid-cols-2" data-testid="price-form">
      <div className="sm:col-span-2">
        <label htmlFor="price-target" className="block text-sm font-medium text-slate-700">
          Applies to
        </label>
        <select
          id="price-target"
          name="target"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          className={inputClass}
        >
          <option value="vendor">a vendor’s model (catalog)</option>
          {providers.map((provider) => (
            <option key={provider.id} value={`provider:${provider.id}`}>
              provider {provider.name}
            </option>
          ))}
        </select>
        <FieldError field="providerId" error={error} />
      </div>
      {target === 'vendor' && (
        <div>
          <label htmlFor="price-vendor" className="block text-sm font-medium text-slate-700">
            Vendor
          </label>
          <input id="price-vendor" name="vendor" placeholder="openai" className={inputClass} />
          <FieldError field="vendor" error={error} />
        </div>
      )}
      <div>
        <label htmlFor="price-model" className="block text-sm font-medium text-slate-700">
          Model
        </label>
        <input id="price-model" name="model" placeholder="gpt-4o" className={inputClass} />
        <FieldError field="model" error={error} />
      </div>
      <div>
        <label htmlFor="price-effective" className="block text-sm font-medium text-slate-700">
          Effective from (UTC)
        </label>
        <input
          id="price-effective"
          name="effectiveFrom"
          type="datetime-local"
          defaultValue={utcInputValue(new Date(now))}
          className={inputClass}
        />
        <FieldError field="effectiveFrom" error={error} />
      </div>
      {AMOUNT_FIELDS.map((field) => (
        <div key={field.name}>
          <label htmlFor={`price-${field.name}`} className="block text-sm font-medium text-slate-700">
            {field.label} (USD)
          </label>
          <input
            id={`price-${field.name}`}
            name={field.name}
            inputMode="decimal"
            placeholder="—"
            className={inputClass}
          />
          <FieldError field={field.name} error={error} />
        </div>
      ))}
      <div>
        <label htmlFor="price-max-output" className="block text-sm font-medium text-slate-700">
          Max output tokens
        </label>
        <input id="price-max-output" name="maxOutputTokens" inputMode="numeric" className={inputClass} />
        <FieldError field="maxOutputTokens" error={error} />
      </div>
      <div className="sm:col-span-2">
        <label htmlFor="price-notes" className="block text-sm font-medium text-slate-700">
          Notes
        </label>
        <input id="price-notes" name="notes" placeholder="source, contract, caveats" className={inputClass} />
      </div>
      <p className="text-xs text-slate-500 sm:col-span-2">
        Prices are never edited in place: a new row takes over from its effective date, so past costs stay
        reproducible. Empty amounts are not sold separately.
      </p>
      <FormAlert
        error={error}
        fields={[
          'providerId',
          'vendor',
          'model',
          'effectiveFrom',
          'maxOutputTokens',
          ...AMOUNT_FIELDS.map((field) => field.name),
        ]}
        className="sm:col-span-2"
      />
      <div className="sm:col-span-2">
        <DialogActions onCancel={close} pending={pending} submitLabel="Add price" pendingLabel="Adding…" />
      </div>
    </form>
  );
}
