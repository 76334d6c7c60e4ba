'use server';

import { revalidatePath } from 'next/cache';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import {
  type BudgetView,
  createBudget,
  createBudgetInput,
  deleteBudget,
  updateBudget,
  updateBudgetInput,
} from '@/server/budgets';
import { requireConsoleActor } from '@/server/console-session';

export type BudgetFormState =
  | { status: 'idle' }
  | { status: 'saved'; budget: BudgetView }
  | { status: 'error'; message: string; field?: string };

export type DeleteBudgetState = { error: string | null };

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** "50, 80, 100" → [50, 80, 100]; anything unparsable is passed on as NaN so validation names the field. */
function thresholds(value: string): number[] | undefined {
  if (value === '') return undefined;
  return value
    .split(/[\s,]+/)
    .filter((part) => part.length > 0)
    .map(Number);
}

/** The fields both forms share, as the API's JSON body would carry them. */
function fields(form: FormData) {
  return {
    name: text(form, 'name'),
    period: text(form, 'period') || undefined,
    mode: text(form, 'mode') || undefined,
    limitUsd: text(form, 'limitUsd'),
    alertThresholds: thresholds(text(form, 'alertThresholds')),
    timeZone: text(form, 'timeZone') || undefined,
    webhookUrl: text(form, 'webhookUrl') || null,
  };
}

/** Creates a budget, or updates the one named by the `id` field. */
export async function saveBudgetAction(_previous: BudgetFormState, form: FormData): Promise<BudgetFormState> {
  const actor = await requireConsoleActor();
  const ctx = getAdminContext();
  try {
    const id = text(form, 'id');
    const budget =
      id === ''
        ? await createBudget(
            ctx,
            actor,
            createBudgetInput.parse({
              ...fields(form),
              scope: text(form, 'scope'),
              scopeId: text(form, 'scope') === 'global' ? null : text(form, 'scopeId') || null,
            }),
          )
        : await updateBudget(ctx, actor, id, updateBudgetInput.parse(fields(form)));
    revalidatePath('/budgets');
    return { status: 'saved', budget };
  } catch (error) {
    return { status: 'error', ...actionFailure(error) };
  }
}

export async function deleteBudgetAction(
  _previous: DeleteBudgetState,
  form: FormData,
): Promise<DeleteBudgetState> {
  const actor = await requireConsoleActor();
  try {
    await deleteBudget(getAdminContext(), actor, text(form, 'id'));
    revalidatePath('/budgets');
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).message };
  }
}
