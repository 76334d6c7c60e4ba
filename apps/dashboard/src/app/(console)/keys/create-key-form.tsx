'use client';

import { useState } from 'react';
import { CopyButton } from '@/components/copy-button';
import { errorIs, FieldError, FormAlert } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useActionForm } from '@/components/ui/use-action-form';
import { type CreateKeyState, createKeyAction } from './actions';

/** The fields that show their own error; any other error shows once under the form. */
const FIELDS = [
  'name',
  'environment',
  'allowedModels',
  'defaultTrafficClass',
  'rpmLimit',
  'tpmLimit',
  'allowedTrafficClasses',
];

const INITIAL: CreateKeyState = { status: 'idle' };

export function CreateKeyForm({
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
  const [dismissed, setDismissed] = useState<string | null>(null);
  const error = state.status === 'error' ? state : null;
  const created = state.status === 'created' && dismissed !== state.key.id ? state : null;

  return (
    <section
      aria-labelledby="create-key-heading"
      className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm"
    >
      <h2 id="create-key-heading" className="text-base font-semibold">
        Create a key
      </h2>
      <form {...formProps} className="mt-4 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
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
          <select id="key-team" name="teamId" defaultValue={defaultTeamId} className={inputClass}>
            {!teamFixed && <option value="">No team</option>}
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          {state.status === 'error' && state.field === 'teamId' && (
            <p className="mt-1 text-xs text-red-700">{state.message}</p>
          )}
        </div>
        <div>
          <label htmlFor="key-environment" className="block text-sm font-medium text-slate-700">
            Environment
          </label>
          <select id="key-environment" name="environment" defaultValue="production" className={inputClass}>
            <option value="production">production</option>
            <option value="staging">staging</option>
            <option value="development">development</option>
          </select>
        </div>
        <div>
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
        <div>
          <label htmlFor="key-traffic-class" className="block text-sm font-medium text-slate-700">
            Default traffic class
          </label>
          <select id="key-traffic-class" name="defaultTrafficClass" defaultValue="" className={inputClass}>
            <option value="">interactive (or first allowed)</option>
            {trafficClasses.map((trafficClass) => (
              <option key={trafficClass} value={trafficClass}>
                {trafficClass}
              </option>
            ))}
          </select>
          <FieldError field="defaultTrafficClass" error={error} />
        </div>
        <div className="grid grid-cols-2 gap-2">
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
        </div>
        <fieldset className="sm:col-span-2 lg:col-span-2" aria-describedby="key-classes-hint">
          <legend className="block text-sm font-medium text-slate-700">Allowed traffic classes</legend>
          <div className="mt-2 flex flex-wrap gap-4">
            {trafficClasses.map((trafficClass) => (
              <label key={trafficClass} className="flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="allowedTrafficClasses" value={trafficClass} />
                {trafficClass}
              </label>
            ))}
          </div>
          <p id="key-classes-hint" className="mt-1 text-xs text-slate-500">
            What a request may ask for with the x-switchyard-traffic-class header. None checked allows every
            class.
          </p>
          <FieldError field="allowedTrafficClasses" error={error} />
        </fieldset>
        <div className="sm:col-span-2 lg:col-span-4">
          <button type="submit" disabled={pending} className={buttonClass('primary')}>
            Create key
          </button>
          {pending && <span className="ml-3 text-sm text-slate-500">Creating…</span>}
        </div>
      </form>

      <FormAlert error={error} fields={FIELDS} className="mt-4" />

      {created && (
        <div
          role="status"
          data-testid="new-key-panel"
          className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4"
        >
          <p className="text-sm font-semibold text-amber-900">
            Key “{created.key.name}” created. Copy it now: it will not be shown again.
          </p>
          <div className="mt-3 flex items-center gap-2">
            <code
              data-testid="new-key-plaintext"
              className="block flex-1 overflow-x-auto rounded-md bg-white px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-amber-200"
            >
              {created.plaintext}
            </code>
            <CopyButton text={created.plaintext} />
          </div>
          <p className="mt-3 text-xs text-amber-900">
            Use it as a bearer token against <code className="font-mono">{routerUrl}/v1</code>, e.g.{' '}
            <code className="font-mono">
              curl {routerUrl}/v1/chat/completions -H "Authorization: Bearer …"
            </code>
          </p>
          <button
            type="button"
            onClick={() => setDismissed(created.key.id)}
            className="mt-3 text-sm font-medium text-amber-900 underline"
          >
            I have copied it
          </button>
        </div>
      )}
    </section>
  );
}
