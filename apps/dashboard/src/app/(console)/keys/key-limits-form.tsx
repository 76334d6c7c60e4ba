'use client';

import { buttonClass, cellInputClass } from '@/components/ui/styles';
import { useActionForm } from '@/components/ui/use-action-form';
import { type KeyLimitsState, updateKeyLimitsAction } from './actions';

const INITIAL: KeyLimitsState = { error: null };

/** The key's requests- and tokens-per-minute limits, editable in place; empty means unlimited. */
export function KeyLimitsForm({
  id,
  name,
  rpmLimit,
  tpmLimit,
}: {
  id: string;
  name: string;
  rpmLimit: number | null;
  tpmLimit: number | null;
}) {
  const { state, pending, formProps } = useActionForm<KeyLimitsState>(updateKeyLimitsAction, INITIAL);
  return (
    <form {...formProps} className="flex items-center gap-1">
      <input type="hidden" name="id" value={id} />
      <input
        name="rpmLimit"
        aria-label={`RPM limit of ${name}`}
        defaultValue={rpmLimit ?? ''}
        placeholder="∞ rpm"
        inputMode="numeric"
        className={`${cellInputClass} w-20 text-xs`}
      />
      <input
        name="tpmLimit"
        aria-label={`TPM limit of ${name}`}
        defaultValue={tpmLimit ?? ''}
        placeholder="∞ tpm"
        inputMode="numeric"
        className={`${cellInputClass} w-20 text-xs`}
      />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Save limits of ${name}`}
        className={buttonClass('secondary', 'xs')}
      >
        Save
      </button>
      {state.error && (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}
