'use client';

import { useState } from 'react';
import { DialogActions, useCloseDialog } from '@/components/ui/dialog';
import { FieldError, FormAlert } from '@/components/ui/field';
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

/** The fields that show their own error; any other error shows once above the buttons. */
const FIELDS = ['name', 'scopeId', 'limitUsd', 'alertThresholds', 'timeZone', 'webhookUrl'];

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
      <div>
        <label htmlFor={`${prefix}-name`} className="block text-sm font-medium text-slate-700">
          Name
        </label>
        <input
          id={`${prefix}-name`}
          name="name"
          defaultValue={budget?.name}
          maxLength={100}
          className={inputClass}
        />
        <FieldError field="name" error={error} />
      </div>
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
          <div>
            <label htmlFor={`${prefix}-scope`} className="block text-sm font-medium text-slate-700">
              Scope
            </label>
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
          </div>
          {/* Full width: key names with their prefix are long, and a cut option hides which key it is. */}
          <div className="sm:col-span-2">
            <label htmlFor={`${prefix}-scope-id`} className="block text-sm font-medium text-slate-700">
              {scope === 'team' ? 'Team' : 'Key'}
            </label>
            <select
              id={`${prefix}-scope-id`}
              name="scopeId"
              disabled={scope === 'global'}
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
            <FieldError field="scopeId" error={error} />
          </div>
        </>
      )}
      <div>
        <label htmlFor={`${prefix}-period`} className="block text-sm font-medium text-slate-700">
          Period
        </label>
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
      </div>
      <div>
        <label htmlFor={`${prefix}-mode`} className="block text-sm font-medium text-slate-700">
          Mode
        </label>
        <select
          id={`${prefix}-mode`}
          name="mode"
          defaultValue={budget?.mode ?? 'hard'}
          className={inputClass}
        >
          <option value="hard">hard (refuse)</option>
          <option value="soft">soft (alert)</option>
        </select>
      </div>
      <div>
        <label htmlFor={`${prefix}-limit`} className="block text-sm font-medium text-slate-700">
          Limit (USD per period)
        </label>
        <input
          id={`${prefix}-limit`}
          name="limitUsd"
          inputMode="decimal"
          defaultValue={budget?.limitUsd}
          placeholder="250.00"
          className={inputClass}
        />
        <FieldError field="limitUsd" error={error} />
      </div>
      <div>
        <label htmlFor={`${prefix}-thresholds`} className="block text-sm font-medium text-slate-700">
          Alert thresholds (%)
        </label>
        <input
          id={`${prefix}-thresholds`}
          name="alertThresholds"
          defaultValue={(budget?.alertThresholds ?? [50, 80, 100]).join(', ')}
          className={inputClass}
        />
        <FieldError field="alertThresholds" error={error} />
      </div>
      <div>
        <label htmlFor={`${prefix}-zone`} className="block text-sm font-medium text-slate-700">
          Time zone
        </label>
        <input
          id={`${prefix}-zone`}
          name="timeZone"
          defaultValue={budget?.timeZone ?? 'UTC'}
          className={inputClass}
        />
        <FieldError field="timeZone" error={error} />
      </div>
      <div>
        <label htmlFor={`${prefix}-webhook`} className="block text-sm font-medium text-slate-700">
          Alert webhook (optional)
        </label>
        <input
          id={`${prefix}-webhook`}
          name="webhookUrl"
          type="url"
          defaultValue={budget?.webhookUrl ?? ''}
          placeholder="https://hooks.example.com/switchyard"
          className={inputClass}
        />
        <FieldError field="webhookUrl" error={error} />
      </div>
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
