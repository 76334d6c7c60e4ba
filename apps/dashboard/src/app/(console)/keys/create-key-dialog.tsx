'use client';

import { useEffect, useRef, useState } from 'react';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { errorIs, Field, FieldError, FormAlert } from '@/components/ui/field';
import { ShownOncePanel } from '@/components/ui/shown-once-panel';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useActionForm } from '@/components/ui/use-action-form';
import { useHydrated } from '@/components/use-hydrated';
import { type CreateKeyState, createKeyAction } from './actions';

/** The per-key rate limits; empty means unlimited. */
const LIMITS = [
  { field: 'rpmLimit', id: 'key-rpm', label: 'RPM limit' },
  { field: 'tpmLimit', id: 'key-tpm', label: 'TPM limit' },
] as const;

/** The fields that show their own error; any other error shows once under the form. */
const FIELDS = [
  'name',
  'teamId',
  'environment',
  'expiresAt',
  'allowedModels',
  'defaultTrafficClass',
  'rpmLimit',
  'tpmLimit',
  'allowedTrafficClasses',
];

const INITIAL: CreateKeyState = { status: 'idle' };

/**
 * "Create key" in the page header opens the form in a dialog, so the list is the first thing on the page (on a
 * phone the twelve fields used to push it a screen down). A refused save keeps what was typed, each message
 * under its field. The new key replaces the form in the dialog, shown once: Escape does not close it, only
 * "I have copied it" does, and the page refreshing its rows behind it leaves it in place.
 */
export function CreateKeyDialog({
  routerUrl,
  knownModels,
  trafficClasses,
  teams,
  defaultTeamId,
  teamFixed,
  openAtStart = false,
}: {
  routerUrl: string;
  knownModels: string[];
  trafficClasses: readonly string[];
  /** Teams the key may go into; with `teamFixed` (a member) only their own. */
  teams: readonly { id: string; name: string }[];
  defaultTeamId: string;
  teamFixed: boolean;
  /** Open the form as the page loads (a link that means "create a key here"). */
  openAtStart?: boolean;
}) {
  const { state, pending, formProps } = useActionForm<CreateKeyState>(
    createKeyAction,
    INITIAL,
    (next) => next.status === 'created',
  );
  const dialog = useDialog();
  // Until React runs, a click would open nothing (sign-in lands on this page, and people click at once).
  const hydrated = useHydrated();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const error = state.status === 'error' ? state : null;
  const created = state.status === 'created' && dismissed !== state.key.id ? state : null;

  useEffect(() => {
    if (created) dialog.open();
  }, [created, dialog.open]);

  const openedAtStart = useRef(false);
  useEffect(() => {
    if (openAtStart && !openedAtStart.current) {
      openedAtStart.current = true;
      dialog.open();
      // Opened once for the link that asked; a reload or a shared URL of the list does not open it again.
      const url = new URL(window.location.href);
      url.searchParams.delete('create');
      window.history.replaceState(window.history.state, '', url);
    }
  }, [openAtStart, dialog.open]);

  const done = () => {
    if (created) setDismissed(created.key.id);
    dialog.close();
  };

  return (
    <>
      <button type="button" onClick={dialog.open} disabled={!hydrated} className={buttonClass('primary')}>
        Create key
      </button>
      <Dialog
        dialog={dialog}
        title="Create key"
        size="xl"
        testId="create-key-dialog"
        onCancel={(event) => {
          // Escape must not hide a key that is shown only once without the operator confirming.
          if (created) event.preventDefault();
        }}
      >
        {created ? (
          <ShownOncePanel
            message={`Key “${created.key.name}” created. Copy it now: it will not be shown again.`}
            secret={created.plaintext}
            testId="new-key-panel"
            secretTestId="new-key-plaintext"
            onDone={done}
          >
            <p className="mt-3 text-xs break-words text-amber-900">
              Use it as a bearer token against <code className="font-mono">{routerUrl}/v1</code>, e.g.{' '}
              <code className="font-mono break-all">
                curl {routerUrl}/v1/chat/completions -H "Authorization: Bearer …"
              </code>
            </p>
          </ShownOncePanel>
        ) : (
          // Keyed by the team filter: opened after the filter changed, the form starts in the filtered team.
          <form key={defaultTeamId} {...formProps} className="mt-4 grid gap-4 sm:grid-cols-2">
            <Field id="key-name" label="Name" field="name" error={error}>
              <input
                id="key-name"
                name="name"
                required
                maxLength={100}
                placeholder="checkout-service"
                aria-invalid={errorIs(error, 'name')}
                className={inputClass}
              />
            </Field>
            <Field id="key-team" label="Team" field="teamId" error={error}>
              <select
                id="key-team"
                name="teamId"
                defaultValue={defaultTeamId}
                aria-invalid={errorIs(error, 'teamId')}
                className={inputClass}
              >
                {!teamFixed && <option value="">No team</option>}
                {teams.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="key-environment" label="Environment" field="environment" error={error}>
              <select
                id="key-environment"
                name="environment"
                defaultValue="production"
                className={inputClass}
              >
                <option value="production">production</option>
                <option value="staging">staging</option>
                <option value="development">development</option>
              </select>
            </Field>
            <Field id="key-expiry" label="Expires" field="expiresAt" error={error}>
              <select id="key-expiry" name="expiresInDays" defaultValue="0" className={inputClass}>
                <option value="0">Never</option>
                <option value="7">In 7 days</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In 1 year</option>
              </select>
            </Field>
            <Field
              id="key-models"
              label="Allowed models"
              field="allowedModels"
              error={error}
              hint="Comma-separated. Empty allows every model."
              className="sm:col-span-2"
            >
              <input
                id="key-models"
                name="allowedModels"
                placeholder={knownModels.length > 0 ? knownModels.slice(0, 3).join(', ') : 'all models'}
                aria-invalid={errorIs(error, 'allowedModels')}
                className={inputClass}
              />
            </Field>
            {LIMITS.map((limit) => (
              <Field key={limit.field} id={limit.id} label={limit.label} field={limit.field} error={error}>
                <input
                  id={limit.id}
                  name={limit.field}
                  inputMode="numeric"
                  aria-invalid={errorIs(error, limit.field)}
                  placeholder="unlimited"
                  className={inputClass}
                />
              </Field>
            ))}
            <Field
              id="key-traffic-class"
              label="Default traffic class"
              field="defaultTrafficClass"
              error={error}
              className="sm:col-span-2"
            >
              <select
                id="key-traffic-class"
                name="defaultTrafficClass"
                defaultValue=""
                aria-invalid={errorIs(error, 'defaultTrafficClass')}
                className={inputClass}
              >
                <option value="">interactive (or first allowed)</option>
                {trafficClasses.map((trafficClass) => (
                  <option key={trafficClass} value={trafficClass}>
                    {trafficClass}
                  </option>
                ))}
              </select>
            </Field>
            <fieldset className="sm:col-span-2" aria-describedby="key-classes-hint">
              <legend className="block text-sm font-medium text-slate-700">Allowed traffic classes</legend>
              <div className="mt-2 flex flex-wrap gap-x-4 gap-y-2">
                {trafficClasses.map((trafficClass) => (
                  <label key={trafficClass} className="flex items-center gap-1.5 text-sm">
                    <input type="checkbox" name="allowedTrafficClasses" value={trafficClass} />
                    {trafficClass}
                  </label>
                ))}
              </div>
              <p id="key-classes-hint" className="mt-1 text-xs text-slate-500">
                What a request may ask for with the x-switchyard-traffic-class header. None checked allows
                every class.
              </p>
              <FieldError field="allowedTrafficClasses" error={error} />
            </fieldset>
            <FormAlert error={error} fields={FIELDS} className="sm:col-span-2" />
            <div className="sm:col-span-2">
              <DialogActions
                onCancel={dialog.close}
                pending={pending}
                submitLabel="Create key"
                pendingLabel="Creating…"
              />
            </div>
          </form>
        )}
      </Dialog>
    </>
  );
}
