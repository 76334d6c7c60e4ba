import { keyEnvironments } from '@/server/keys';
import type { KeyListFilterValues } from './key-list-filters';

const STATUS_OPTIONS = [
  { value: '', label: 'Not revoked' },
  { value: 'active', label: 'Active' },
  { value: 'expiring', label: 'Expiring (stop time set)' },
  { value: 'expired', label: 'Expired' },
  { value: 'revoked', label: 'Revoked' },
  { value: 'all', label: 'All, with revoked' },
] as const;

const input =
  'mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900';

/** A plain GET form: the filters live in the URL, so a filtered list can be linked and paged without scripts. */
export function KeyFilters({
  initial,
  teams,
}: {
  initial: KeyListFilterValues;
  /** Empty hides the team filter (a member sees only their own team). */
  teams: { id: string; name: string }[];
}) {
  return (
    <form
      method="get"
      action="/keys"
      aria-label="Key filters"
      className="grid gap-3 sm:grid-cols-2 lg:grid-cols-6"
    >
      <label className="text-sm text-slate-700 lg:col-span-2">
        Search keys
        <input
          type="search"
          name="q"
          defaultValue={initial.q ?? ''}
          placeholder="name, prefix (sk-sy-…) or key_…"
          className={input}
        />
      </label>
      {teams.length > 0 && (
        <label className="text-sm text-slate-700">
          In team
          <select name="team" defaultValue={initial.team ?? ''} className={input}>
            <option value="">Any team</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="text-sm text-slate-700">
        In environment
        <select name="environment" defaultValue={initial.environment ?? ''} className={input}>
          <option value="">Any</option>
          {keyEnvironments.map((environment) => (
            <option key={environment} value={environment}>
              {environment}
            </option>
          ))}
        </select>
      </label>
      <label className="text-sm text-slate-700">
        With tag
        <input type="text" name="tag" defaultValue={initial.tag ?? ''} className={input} />
      </label>
      <label className="text-sm text-slate-700">
        Key status
        <select name="status" defaultValue={initial.status ?? ''} className={input}>
          {STATUS_OPTIONS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-6">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white dark:bg-slate-100 dark:text-slate-900"
        >
          Apply filters
        </button>
        <a
          href="/keys"
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700"
        >
          Clear
        </a>
      </div>
    </form>
  );
}
