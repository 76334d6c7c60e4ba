'use client';

import { useRouter } from 'next/navigation';
import { useRef, useState, useTransition } from 'react';
import type { SaveResult } from '../actions';

/** A button that asks first (in a dialog saying what will happen), then runs `run` and refreshes the page. */
export function ConfirmButton({
  label,
  title,
  description,
  confirmLabel,
  destructive,
  run,
  ariaLabel,
}: {
  label: string;
  title: string;
  description: string;
  confirmLabel: string;
  destructive: boolean;
  run: () => Promise<SaveResult>;
  ariaLabel: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const confirm = () =>
    startTransition(async () => {
      const result = await run();
      if (!result.ok) return setError(result.message);
      setError(null);
      dialog.current?.close();
      router.refresh();
    });
  return (
    <>
      <button
        type="button"
        aria-label={ariaLabel}
        onClick={() => dialog.current?.showModal()}
        className={`rounded-md border px-2.5 py-1 text-xs font-medium ${destructive ? 'border-red-200 text-red-700 hover:bg-red-50' : 'border-slate-300 text-slate-700 hover:bg-slate-50'}`}
      >
        {label}
      </button>
      <dialog
        ref={dialog}
        aria-label={title}
        className="m-auto w-full max-w-md rounded-xl p-6 text-left whitespace-normal shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 className="text-base font-semibold">{title}</h2>
        <p className="mt-2 text-sm text-slate-600">{description}</p>
        {error && (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error}
          </p>
        )}
        <div className="mt-4 flex justify-end gap-2">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50"
          >
            Cancel
          </button>
          <button
            type="button"
            disabled={pending}
            onClick={confirm}
            className={`rounded-md px-4 py-2 text-sm font-medium text-white disabled:opacity-60 ${destructive ? 'bg-red-600 hover:bg-red-500' : 'bg-indigo-600 hover:bg-indigo-500'}`}
          >
            {pending ? 'Working…' : confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
