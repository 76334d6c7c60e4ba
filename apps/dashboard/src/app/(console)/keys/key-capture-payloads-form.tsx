'use client';

import { useActionState } from 'react';
import { type KeyLimitsState, setKeyCapturePayloadsAction } from './actions';

/**
 * Payload capture of one key, switched in place: on, the routers store its requests' and answers' bodies for
 * the request explorer (kept PAYLOAD_RETENTION_DAYS); off by default.
 */
export function KeyCapturePayloadsForm({
  id,
  name,
  capturing,
}: {
  id: string;
  name: string;
  capturing: boolean;
}) {
  const [state, formAction, pending] = useActionState<KeyLimitsState, FormData>(setKeyCapturePayloadsAction, {
    error: null,
  });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="capturePayloads" value={capturing ? 'false' : 'true'} />
      <span data-testid="key-payloads-state">{capturing ? 'captured' : 'off'}</span>
      <button
        type="submit"
        disabled={pending}
        aria-label={`${capturing ? 'Stop capturing' : 'Capture'} payloads of ${name}`}
        title="Stores request and response bodies for the request explorer; kept PAYLOAD_RETENTION_DAYS"
        className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
      >
        {capturing ? 'Turn off' : 'Turn on'}
      </button>
      {state.error && (
        <span role="alert" className="text-xs text-red-700">
          {state.error}
        </span>
      )}
    </form>
  );
}
