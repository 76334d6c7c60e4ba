'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { Dialog, useDialog } from './dialog';
import { buttonClass } from './styles';
import { useToast } from './toast';

/** What a confirmed action answers: done, or the reason it was refused. */
export type ConfirmResult = { ok: true } | { ok: false; message: string };

/**
 * A button that asks first, in a dialog saying what will happen, then runs `run`, refreshes the page and confirms
 * in a toast. A refusal stays in the dialog. Every destructive action in the console goes through here or through
 * {@link ConfirmFormButton}.
 */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  destructive,
  run,
  ariaLabel,
  done,
  afterSuccess,
  size = 'sm',
  className = '',
}: {
  label: string;
  title: string;
  description: string;
  confirmLabel: string;
  destructive: boolean;
  run: () => Promise<ConfirmResult>;
  ariaLabel: string;
  /** The toast after success, e.g. "Account disabled." */
  done?: string;
  /** What to do once it succeeded, instead of refreshing the page (e.g. leave a deleted item's page). */
  afterSuccess?: () => void;
  size?: 'md' | 'sm' | 'xs';
  /** Extra classes for the trigger button (placement). */
  className?: string;
}) {
  const dialog = useDialog();
  const router = useRouter();
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const result = await run();
      if (!result.ok) return setError(result.message);
      setError(null);
      dialog.close();
      if (done) toast(done);
      if (afterSuccess) afterSuccess();
      else router.refresh();
    });
  return (
    <>
      <button
        type="button"
        aria-label={ariaLabel}
        onClick={dialog.open}
        className={`${buttonClass(destructive ? 'danger-outline' : 'secondary', size)} ${className}`}
      >
        {label}
      </button>
      <Dialog dialog={dialog} title={title}>
        <p className="mt-2 text-sm text-slate-600">{description}</p>
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" onClick={dialog.close} className={buttonClass('secondary')}>
            Cancel
          </button>
          <button
            type="button"
            disabled={pending}
            onClick={confirm}
            className={buttonClass(destructive ? 'danger' : 'primary')}
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </Dialog>
    </>
  );
}
