'use client';

import { useActionState } from 'react';
import { type RevokeKeyState, revokeKeyAction } from './actions';

export function RevokeKeyButton({ id, name }: { id: string; name: string }) {
  const [state, formAction, pending] = useActionState<RevokeKeyState, FormData>(revokeKeyAction, {
    error: null,
  });
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="rounded-md border border-red-200 px-2.5 py-1 text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-60"
      >
        {pending ? 'Revoking…' : 'Revoke'}
      </button>
      {state.error && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}
