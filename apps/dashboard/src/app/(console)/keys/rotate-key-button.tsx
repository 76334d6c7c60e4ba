'use client';

import { useActionState, useEffect, useRef, useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { ExpiryCountdown } from '@/components/expiry-countdown';
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
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<string | null>(null);
  const rotated = state.status === 'rotated' && shown !== state.key.id ? state : null;

  // The secret must stay visible until the operator says it is copied, even across the page refresh.
  useEffect(() => {
    if (rotated && !dialog.current?.open) dialog.current?.showModal();
  }, [rotated]);

  const close = () => {
    if (state.status === 'rotated') setShown(state.key.id);
    dialog.current?.close();
  };

  return (
    <>
      {canRotate && (
        <button
          type="button"
          onClick={() => dialog.current?.showModal()}
          aria-label={`Rotate ${name}`}
          className="mr-2 rounded-md border border-slate-300 px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
        >
          Rotate
        </button>
      )}
      <dialog
        ref={dialog}
        aria-labelledby={`rotate-${id}-title`}
        onCancel={(event) => {
          // Escape must not hide a secret that is shown only once without the operator confirming.
          if (rotated) event.preventDefault();
        }}
        className="m-auto w-full max-w-lg rounded-xl p-6 text-left whitespace-normal shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id={`rotate-${id}-title`} className="text-base font-semibold">
          Rotate “{name}”
        </h2>
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
            <button
              type="button"
              onClick={close}
              className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-500"
            >
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
                className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm"
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
              <button
                type="button"
                onClick={() => dialog.current?.close()}
                className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
              >
                Cancel
              </button>
              <button
                type="submit"
                disabled={pending}
                className="rounded-md bg-red-600 px-4 py-2 text-sm font-medium text-white hover:bg-red-500 disabled:opacity-60"
              >
                {pending ? 'Rotating…' : 'Rotate key'}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}
