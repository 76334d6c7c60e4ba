'use client';

import { useActionState, useEffect, useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { ExpiryCountdown } from '@/components/expiry-countdown';
import { Dialog, useDialog } from '@/components/ui/dialog';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { type RotateKeyState, rotateKeyAction } from './actions';

/** The grace periods the console offers; the admin API takes any number of seconds up to 30 days. */
export const ROTATION_GRACE_CHOICES = [
  { seconds: 0, label: 'Now (no grace)' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 7 * 86_400, label: '7 days' },
] as const;

/**
 * "Rotate" opens a dialog that asks for the grace and confirms; after the rotation it shows the new key once and
 * a countdown for the old one. Stays mounted once the key is rotated (`canRotate` false) so the new secret is
 * still on screen after the page refreshes its rows.
 */
export function RotateKeyButton({ id, name, canRotate }: { id: string; name: string; canRotate: boolean }) {
  const [state, formAction, pending] = useActionState<RotateKeyState, FormData>(rotateKeyAction, {
    status: 'idle',
  });
  const dialog = useDialog();
  const [shown, setShown] = useState<string | null>(null);
  const rotated = state.status === 'rotated' && shown !== state.key.id ? state : null;

  // The secret must stay visible until the operator says it is copied, even across the page refresh.
  useEffect(() => {
    if (rotated) dialog.open();
  }, [rotated, dialog.open]);

  const close = () => {
    if (state.status === 'rotated') setShown(state.key.id);
    dialog.close();
  };

  return (
    <>
      {canRotate && (
        <button
          type="button"
          onClick={dialog.open}
          aria-label={`Rotate ${name}`}
          className={`mr-2 ${buttonClass('secondary', 'sm')}`}
        >
          Rotate
        </button>
      )}
      <Dialog
        dialog={dialog}
        size="lg"
        title={`Rotate “${name}”`}
        onCancel={(event) => {
          // Escape must not hide a secret that is shown only once without the operator confirming.
          if (rotated) event.preventDefault();
        }}
      >
        {rotated ? (
          <div role="status" data-testid="rotated-key-panel" className="mt-4 space-y-3">
            <p className="text-sm font-semibold text-amber-900">
              New key “{rotated.key.name}” created. Copy it now: it will not be shown again.
            </p>
            <div className="flex items-center gap-2">
              <code
                data-testid="rotated-key-plaintext"
                className="block flex-1 overflow-x-auto whitespace-nowrap rounded-md bg-amber-50 px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-amber-200"
              >
                {rotated.plaintext}
              </code>
              <CopyButton text={rotated.plaintext} />
            </div>
            <p className="text-sm text-slate-700">
              The old key ({rotated.oldKey.prefix}…){' '}
              {rotated.oldKey.expiresAt ? <ExpiryCountdown at={rotated.oldKey.expiresAt} /> : 'stops now'} on
              every router. Deploy the new key before then.
            </p>
            <button type="button" onClick={close} className={buttonClass('primary')}>
              I have copied it
            </button>
          </div>
        ) : (
          <form action={formAction} className="mt-4 space-y-4">
            <input type="hidden" name="id" value={id} />
            <p className="text-sm text-slate-600">
              A new key with the same team, owner, tags, models, traffic classes, limits and budgets is
              created and shown once. The old key keeps working for the grace period, then every router
              refuses it.
            </p>
            <div>
              <label htmlFor={`rotate-${id}-grace`} className="block text-sm font-medium text-slate-700">
                Old key keeps working for
              </label>
              <select
                id={`rotate-${id}-grace`}
                name="graceSeconds"
                defaultValue="86400"
                className={inputClass}
              >
                {ROTATION_GRACE_CHOICES.map((choice) => (
                  <option key={choice.seconds} value={choice.seconds}>
                    {choice.label}
                  </option>
                ))}
              </select>
            </div>
            {state.status === 'error' && (
              <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
                {state.message}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
                Cancel
              </button>
              <button type="submit" disabled={pending} className={buttonClass('danger')}>
                {pending ? 'Rotating…' : 'Rotate key'}
              </button>
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
