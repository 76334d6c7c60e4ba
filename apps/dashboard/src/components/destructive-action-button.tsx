'use client';

import { ConfirmButton } from './ui/confirm-button';

/** What a single-item server action (revoke, withdraw, delete) answers: the message to show, or null. */
export type DestructiveActionState = { error: string | null };

/**
 * A destructive button for a single-item server action that takes `id` in a form: it asks first in a dialog
 * saying what will happen, then posts, and shows a refusal in the dialog.
 */
export function DestructiveActionButton({
  action,
  id,
  label,
  ariaLabel,
  title,
  description,
  done,
  compact = false,
}: {
  action: (previous: DestructiveActionState, form: FormData) => Promise<DestructiveActionState>;
  id: string;
  label: string;
  /** Names the item, so a row of identical buttons can be told apart. */
  ariaLabel: string;
  /** The question, e.g. "Revoke “checkout”?" */
  title: string;
  /** What happens, in plain words, and whether it can be undone. */
  description: string;
  /** The toast after success. */
  done: string;
  /** Tighter padding, for buttons inside dense lists. */
  compact?: boolean;
}) {
  return (
    <ConfirmButton
      label={label}
      ariaLabel={ariaLabel}
      title={title}
      description={description}
      confirmLabel={label}
      destructive
      done={done}
      size={compact ? 'xs' : 'sm'}
      run={async () => {
        const form = new FormData();
        form.set('id', id);
        const result = await action({ error: null }, form);
        return result.error === null ? { ok: true } : { ok: false, message: result.error };
      }}
    />
  );
}
