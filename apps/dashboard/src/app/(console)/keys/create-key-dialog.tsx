'use client';

import { useEffect, useState } from 'react';
import { Dialog, DialogActions, useDialog } from '@/components/ui/dialog';
import { errorIs, FieldError, FormAlert } from '@/components/ui/field';
import { ShownOncePanel } from '@/components/ui/shown-once-panel';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useActionForm } from '@/components/ui/use-action-form';
import { useHydrated } from '@/components/use-hydrated';
import { type CreateKeyState, createKeyAction } from './actions';

/** The fields that show their own error; any other error shows once under the form. */
const FIELDS = [
  'name',
  'teamId',
  'environment',
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
}: {
  routerUrl: string;
  knownModels: string[];
  trafficClasses: readonly string[];
  /** Teams the key may go into; with `teamFixed` (a member) only their own. */
  teams: readonly { id: string; name: string }[];
  defaultTeamId: string;
  teamFixed: boolean;
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
            <div>
              <label htmlFor="key-name" className="block text-sm font-medium text-slate-700">
                Name
              </label>
              <input
                id="key-name"
                name="name"
                required
                maxLength={100}
                placeholder="checkout-service"
                aria-invalid={errorIs(error, 'name')}
                className={inputClass}
              />
              <FieldError field="name" error={error} />
            </div>
            <div>
              <label htmlFor="key-team" className="block text-sm font-medium text-slate-700">
                Team
              </label>
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
              <FieldError field="teamId" error={error} />
            </div>
            <div>
              <label htmlFor="key-environment" className="block text-sm font-medium text-slate-700">
                Environment
              </label>
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
            </div>
            <div>
              <label htmlFor="key-expiry" className="block text-sm font-medium text-slate-700">
                Expires
              </label>
              <select id="key-expiry" name="expiresInDays" defaultValue="0" className={inputClass}>
                <option value="0">Never</option>
                <option value="7">In 7 days</option>
                <option value="30">In 30 days</option>
                <option value="90">In 90 days</option>
                <option value="365">In 1 year</option>
              </select>
            </div>
            <div className="sm:col-span-2">
              <label htmlFor="key-models" className="block text-sm font-medium text-slate-700">
                Allowed models
              </label>
              <input
                id="key-models"
                name="allowedModels"
                placeholder={knownModels.length > 0 ? knownModels.slice(0, 3).join(', ') : 'all models'}
                aria-describedby="key-models-hint"
                aria-invalid={errorIs(error, 'allowedModels')}
                className={inputClass}
              />
              <FieldError field="allowedModels" error={error} />
              <p id="key-models-hint" className="mt-1 text-xs text-slate-500">
                Comma-separated. Empty allows every model.
              </p>
            </div>
            <div>
              <label htmlFor="key-rpm" className="block text-sm font-medium text-slate-700">
                RPM limit
              </label>
              <input
                id="key-rpm"
                name="rpmLimit"
                inputMode="numeric"
                aria-invalid={errorIs(error, 'rpmLimit')}
                placeholder="unlimited"
                className={inputClass}
              />
              <FieldError field="rpmLimit" error={error} />
            </div>
            <div>
              <label htmlFor="key-tpm" className="block text-sm font-medium text-slate-700">
                TPM limit
              </label>
              <input
                id="key-tpm"
                name="tpmLimit"
                inputMode="numeric"
                aria-invalid={errorIs(error, 'tpmLimit')}
                placeholder="unlimited"
                className={inputClass}
              />
              <FieldError field="tpmLimit" error={error} />
            </div>
            <div className="sm:col-span-2">
              <label htmlFor="key-traffic-class" className="block text-sm font-medium text-slate-700">
                Default traffic class
              </label>
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
              <FieldError field="defaultTrafficClass" error={error} />
            </div>
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
