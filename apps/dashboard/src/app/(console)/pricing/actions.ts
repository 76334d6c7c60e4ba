'use server';

import { revalidatePath } from 'next/cache';
import { actionFailure } from '@/server/action-failure';
import { getAdminContext } from '@/server/admin-context';
import { toAdminError } from '@/server/admin-error';
import { requireConsoleActor } from '@/server/console-session';
import { logServerEvent } from '@/server/log-server-event';
import { createPrice, createPriceInput, deletePrice, importPrices, type PriceView } from '@/server/prices';

export type PriceFormState =
  | { status: 'idle' }
  | { status: 'saved'; price: PriceView }
  | { status: 'error'; message: string; field?: string };

export type ImportState =
  | { status: 'idle' }
  | { status: 'imported'; created: number; skippedIdentical: number }
  | { status: 'error'; message: string; issues: { path: string; message: string }[] };

export type DeletePriceState = { error: string | null };

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Optional amount fields: empty means "not sold separately", which the API spells by leaving them out. */
const AMOUNTS = [
  'input',
  'output',
  'cachedInput',
  'cacheWrite',
  'reasoning',
  'perImage',
  'perRequest',
] as const;

export async function createPriceAction(_previous: PriceFormState, form: FormData): Promise<PriceFormState> {
  const actor = await requireConsoleActor();
  try {
    const target = text(form, 'target');
    // A datetime-local input has no zone: the console states and means UTC.
    const effective = text(form, 'effectiveFrom');
    const body: Record<string, unknown> = {
      ...(target.startsWith('provider:')
        ? { providerId: target.slice('provider:'.length) }
        : { vendor: text(form, 'vendor') || null }),
      model: text(form, 'model'),
      effectiveFrom: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(effective) ? `${effective}:00Z` : effective,
    };
    for (const field of AMOUNTS) {
      const value = text(form, field);
      if (value !== '') body[field] = value;
    }
    const maxOutput = text(form, 'maxOutputTokens');
    if (maxOutput !== '') body.maxOutputTokens = Number(maxOutput);
    const notes = text(form, 'notes');
    if (notes !== '') body.notes = notes;
    const price = await createPrice(getAdminContext(), actor, createPriceInput.parse(body));
    revalidatePath('/pricing');
    return { status: 'saved', price };
  } catch (error) {
    return { status: 'error', ...actionFailure(error) };
  }
}

export async function importPricesAction(_previous: ImportState, form: FormData): Promise<ImportState> {
  const actor = await requireConsoleActor();
  let body: unknown;
  try {
    body = JSON.parse(text(form, 'catalog'));
  } catch (error) {
    return {
      status: 'error',
      message: 'The file is not valid JSON.',
      issues: [{ path: '(root)', message: error instanceof Error ? error.message : 'is not JSON' }],
    };
  }
  try {
    const result = await importPrices(getAdminContext(), actor, body);
    revalidatePath('/pricing');
    return { status: 'imported', ...result };
  } catch (error) {
    const adminError = toAdminError(error);
    if (adminError.code === 'internal') logServerEvent('error', 'price import failed', { error });
    return { status: 'error', message: adminError.message, issues: [...(adminError.issues ?? [])] };
  }
}

export async function deletePriceAction(
  _previous: DeletePriceState,
  form: FormData,
): Promise<DeletePriceState> {
  const actor = await requireConsoleActor();
  try {
    await deletePrice(getAdminContext(), actor, text(form, 'id'));
    revalidatePath('/pricing');
    return { error: null };
  } catch (error) {
    return { error: actionFailure(error).message };
  }
}
