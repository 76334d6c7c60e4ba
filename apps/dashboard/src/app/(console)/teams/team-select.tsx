'use client';

import { inputClass } from '@/components/ui/styles';

export interface TeamOption {
  id: string;
  name: string;
}

/** A team picker whose empty choice means "no team" (or "every team", for a token): `noneLabel` says which. */
export function TeamSelect({
  id,
  value,
  onChange,
  teams,
  noneLabel,
  invalid = false,
  optionSuffix = '',
}: {
  id: string;
  value: string;
  onChange: (teamId: string) => void;
  teams: readonly TeamOption[];
  noneLabel: string;
  invalid?: boolean;
  optionSuffix?: string;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={invalid}
      className={inputClass}
    >
      <option value="">{noneLabel}</option>
      {teams.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
          {optionSuffix}
        </option>
      ))}
    </select>
  );
}
