'use client';

import { CopyButton } from '@/components/copy-button';
import { LocalTime } from '@/components/local-time';

/** The one-time invite link, shown once: only its digest is stored, so it cannot be shown again. */
export function InviteLinkPanel({
  email,
  url,
  expiresAt,
  onDone,
}: {
  email: string;
  url: string;
  expiresAt: string;
  onDone: () => void;
}) {
  return (
    <div
      role="status"
      data-testid="invite-link-panel"
      className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4"
    >
      <p className="text-sm font-semibold text-amber-900">
        Send this link to {email}. It works once, until <LocalTime iso={expiresAt} />, and will not be shown
        again.
      </p>
      <div className="mt-3 flex items-center gap-2">
        <code
          data-testid="invite-link"
          className="block flex-1 overflow-x-auto rounded-md bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-amber-200"
        >
          {url}
        </code>
        <CopyButton text={url} />
      </div>
      <button type="button" onClick={onDone} className="mt-3 text-sm font-medium text-amber-900 underline">
        I have copied it
      </button>
    </div>
  );
}
