'use client';

import { useActionState } from 'react';

/** What a single-item server action (revoke, withdraw, delete) answers: the message to show, or null. */
export type DestructiveActionState = { error: string | null };

/** A one-button form that posts `id` to a server action and shows the action's error beside the button. */
export function DestructiveActionButton({
  action,
  id,
  label,
  pendingLabel = label,
  ariaLabel,
  compact = false,
}: {
  action: (previous: DestructiveActionState, form: FormData) => Promise<DestructiveActionState>;
  id: string;
  label: string;
  /** Shown while the action runs. */
  pendingLabel?: string;
  /** Names the item, so a row of identical buttons can be told apart. */
  ariaLabel: string;
  /** Tighter padding, for buttons inside dense lists. */
  compact?: boolean;
}) {
  const [state, formAction, pending] = useActionState<DestructiveActionState, FormData>(action, {
    error: null,
  });
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="id" value={id} />
      <button
        type="submit"
        disabled={pending}
        aria-label={ariaLabel}
        className={`rounded-md border border-red-200 ${compact ? 'px-2 py-0.5' : 'px-2.5 py-1'} text-xs font-medium text-red-700 hover:bg-red-50 disabled:opacity-60`}
      >
        {pending ? pendingLabel : label}
      </button>
      {state.error && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}
