'use client';

import { useState } from 'react';
import { DialogActions, useCloseDialog } from '@/components/ui/dialog';
import { errorIs, Field, FormAlert } from '@/components/ui/field';
import { inputClass } from '@/components/ui/styles';
import { useToast } from '@/components/ui/toast';
import { useActionForm } from '@/components/ui/use-action-form';
import type { BudgetView } from '@/server/budgets';
import { type BudgetFormState, saveBudgetAction } from './actions';

export interface ScopeOption {
  id: string;
  name: string;
}

const INITIAL: BudgetFormState = { status: 'idle' };

/** The free-text inputs: a new budget starts from `initial`, an edited one from its saved value. */
const TEXT_FIELDS = [
  {
    field: 'limitUsd',
    id: 'limit',
    label: 'Limit (USD per period)',
    type: 'text',
    inputMode: 'decimal',
    placeholder: '250.00',
    initial: '',
    value: (budget: BudgetView) => budget.limitUsd,
  },
  {
    field: 'alertThresholds',
    id: 'thresholds',
    label: 'Alert thresholds (%)',
    type: 'text',
    inputMode: undefined,
    placeholder: undefined,
    initial: '50, 80, 100',
    value: (budget: BudgetView) => budget.alertThresholds.join(', '),
  },
  {
    field: 'timeZone',
    id: 'zone',
    label: 'Time zone',
    type: 'text',
    inputMode: undefined,
    placeholder: undefined,
    initial: 'UTC',
    value: (budget: BudgetView) => budget.timeZone,
  },
  {
    field: 'webhookUrl',
    id: 'webhook',
    label: 'Alert webhook (optional)',
    type: 'url',
    inputMode: undefined,
    placeholder: 'https://hooks.example.com/switchyard',
    initial: '',
    value: (budget: BudgetView) => budget.webhookUrl ?? '',
  },
] as const;

/** The fields that show their own error; any other error shows once above the buttons. */
const FIELDS = ['name', 'scope', 'scopeId', 'period', 'mode', ...TEXT_FIELDS.map((text) => text.field)];

/**
 * Create (no `budget`) or edit a budget, in a dialog: each validation message appears under the field it names;
 * once saved, the dialog closes and a toast says so.
 */
export function BudgetForm({
  budget,
  keys,
  teams,
}: {
  budget?: BudgetView;
  keys: ScopeOption[];
  teams: ScopeOption[];
}) {
  const close = useCloseDialog();
  const toast = useToast();
  const { state, pending, formProps } = useActionForm<BudgetFormState>(
    async (previous, form) => {
      const next = await saveBudgetAction(previous, form);
      if (next.status === 'saved') {
        toast(`Budget “${next.budget.name}” ${budget ? 'saved' : 'created'}.`);
        close();
      }
      return next;
    },
    INITIAL,
    // A new budget's form clears once it is created; an edited one keeps its (saved) values.
    (next) => next.status === 'saved' && !budget,
  );
  const [scope, setScope] = useState<string>(budget?.scope ?? 'key');
  const error = state.status === 'error' ? state : null;
  const prefix = budget ? `budget-${budget.id}` : 'budget-new';
  const scopeOptions = scope === 'team' ? teams : keys;

  return (
    <form {...formProps} className="mt-4 grid gap-4 sm:grid-cols-2" data-testid="budget-form">
      {budget && <input type="hidden" name="id" value={budget.id} />}
      <Field id={`${prefix}-name`} label="Name" field="name" error={error}>
        <input
          id={`${prefix}-name`}
          name="name"
          defaultValue={budget?.name}
          maxLength={100}
          aria-invalid={errorIs(error, 'name')}
          className={inputClass}
        />
      </Field>
      {budget ? (
        <div>
          <span className="block text-sm font-medium text-slate-700">Scope</span>
          <p className="mt-1 text-sm text-slate-600">
            {budget.scope}
            {budget.scopeName ? `: ${budget.scopeName}` : ''} (fixed)
          </p>
        </div>
      ) : (
        <>
          <Field id={`${prefix}-scope`} label="Scope" field="scope" error={error}>
            <select
              id={`${prefix}-scope`}
              name="scope"
              value={scope}
              onChange={(event) => setScope(event.target.value)}
              className={inputClass}
            >
              <option value="key">key</option>
              <option value="team">team</option>
              <option value="global">global</option>
            </select>
          </Field>
          {/* Full width: key names with their prefix are long, and a cut option hides which key it is. */}
          <Field
            id={`${prefix}-scope-id`}
            label={scope === 'team' ? 'Team' : 'Key'}
            field="scopeId"
            error={error}
            className="sm:col-span-2"
          >
            <select
              id={`${prefix}-scope-id`}
              name="scopeId"
              disabled={scope === 'global'}
              aria-invalid={errorIs(error, 'scopeId')}
              className={inputClass}
            >
              {scope === 'global' && <option value="">(whole gateway)</option>}
              {scope !== 'global' &&
                scopeOptions.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name}
                  </option>
                ))}
            </select>
          </Field>
        </>
      )}
      <Field id={`${prefix}-period`} label="Period" field="period" error={error}>
        <select
          id={`${prefix}-period`}
          name="period"
          defaultValue={budget?.period ?? 'monthly'}
          className={inputClass}
        >
          <option value="daily">daily</option>
          <option value="weekly">weekly</option>
          <option value="monthly">monthly</option>
          <option value="total">total</option>
        </select>
      </Field>
      <Field id={`${prefix}-mode`} label="Mode" field="mode" error={error}>
        <select
          id={`${prefix}-mode`}
          name="mode"
          defaultValue={budget?.mode ?? 'hard'}
          className={inputClass}
        >
          <option value="hard">hard (refuse)</option>
          <option value="soft">soft (alert)</option>
        </select>
      </Field>
      {TEXT_FIELDS.map((text) => (
        <Field
          key={text.field}
          id={`${prefix}-${text.id}`}
          label={text.label}
          field={text.field}
          error={error}
        >
          <input
            id={`${prefix}-${text.id}`}
            name={text.field}
            type={text.type}
            inputMode={text.inputMode}
            defaultValue={budget ? text.value(budget) : text.initial}
            placeholder={text.placeholder}
            aria-invalid={errorIs(error, text.field)}
            className={inputClass}
          />
        </Field>
      ))}
      <FormAlert error={error} fields={FIELDS} className="sm:col-span-2" />
      <div className="sm:col-span-2">
        <DialogActions
          onCancel={close}
          pending={pending}
          submitLabel={budget ? 'Save budget' : 'Create budget'}
          pendingLabel="Saving…"
        />
      </div>
    </form>
  );
}
