'use client';

import { LocalTime } from '@/components/local-time';
import { ShownOncePanel } from '@/components/ui/shown-once-panel';

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
    <ShownOncePanel
      message={
        <>
          Send this link to {email}. It works once, until <LocalTime iso={expiresAt} />, and will not be shown
          again.
        </>
      }
      secret={url}
      testId="invite-link-panel"
      secretTestId="invite-link"
      onDone={onDone}
    />
  );
}
