'use client';

import type { ReactNode } from 'react';
import { CopyButton } from '../copy-button';

/** A secret (a token, an invite link) shown once after it was made: only its digest is stored. */
export function ShownOncePanel({
  message,
  secret,
  testId,
  secretTestId,
  onDone,
  children,
}: {
  message: ReactNode;
  secret: string;
  testId: string;
  secretTestId: string;
  onDone: () => void;
  /** Usage notes under the secret. */
  children?: ReactNode;
}) {
  return (
    <div
      role="status"
      data-testid={testId}
      className="mt-4 rounded-lg border border-amber-300 bg-amber-50 p-4"
    >
      <p className="text-sm font-semibold text-amber-900">{message}</p>
      <div className="mt-3 flex items-center gap-2">
        <code
          data-testid={secretTestId}
          className="block flex-1 overflow-x-auto rounded-md bg-white px-3 py-2 font-mono text-xs text-slate-900 ring-1 ring-amber-200"
        >
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      {children}
      <button type="button" onClick={onDone} className="mt-3 text-sm font-medium text-amber-900 underline">
        I have copied it
      </button>
    </div>
  );
}
