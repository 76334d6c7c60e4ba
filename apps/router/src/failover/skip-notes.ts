import type { AttemptRecord, SkippedTarget } from '@switchyard/core';

/**
 * A target the failover ladder passed over because it could not take the request (breaker open, cooling down,
 * credential rejected, disabled): kept for the `x-switchyard-fallback-reason` readback and, as a not-sent
 * attempt with reason `skipped`, for the usage row.
 */
export interface SkipNote {
  /** How many attempts had been sent when it was skipped: its place in the usage row. */
  before: number;
  /** `<account>/<upstream model>: <why>`, as the readback header shows it. */
  label: string;
  record: AttemptRecord;
}

/**
 * Adds the ladder's `skipped` targets to a request's notes (each target once). Returns the notes, allocated
 * only when something was skipped: a request whose first choice was available pays nothing.
 */
export function noteSkipped(
  notes: SkipNote[] | null,
  skipped: readonly SkippedTarget[] | undefined,
  attemptsSent: number,
): SkipNote[] | null {
  if (skipped === undefined || skipped.length === 0) return notes;
  const list = notes ?? [];
  for (const { target: resolved, reason } of skipped) {
    if (list.some((note) => note.record.targetId === resolved.target.id)) continue;
    list.push({
      before: attemptsSent,
      label: `${headerSafe(resolved.account.name, resolved.account.id)}/${headerSafe(resolved.target.upstreamModel, resolved.target.id)}: ${reason}`,
      record: {
        targetId: resolved.target.id,
        accountId: resolved.account.id,
        providerId: resolved.provider.id,
        model: resolved.target.upstreamModel,
        status: null,
        errorClass: reason,
        latencyMs: 0,
        ttftMs: null,
        reason: 'skipped',
      },
    });
  }
  return list;
}

/**
 * The `x-switchyard-fallback-reason` of an answer: why the serving attempt was not the request's first choice.
 * The serving attempt's rung and the error before it (`other_account; after server_error`), then every target
 * skipped on the way (`skipped acct-a/gpt-4o: circuit_open`); null when the first choice served.
 */
export function fallbackReason(
  attempts: readonly AttemptRecord[],
  notes: readonly SkipNote[] | null,
): string | null {
  const parts: string[] = [];
  const final = attempts[attempts.length - 1];
  if (final && final.reason !== 'primary') {
    const before = attempts[attempts.length - 2];
    parts.push(before?.errorClass ? `${final.reason}; after ${before.errorClass}` : final.reason);
  }
  if (notes !== null && notes.length > 0) parts.push(`skipped ${notes.map((note) => note.label).join(', ')}`);
  return parts.length === 0 ? null : parts.join('; ');
}

/** Puts the notes into the request's attempts (the usage row), each before the attempt it preceded. */
export function insertSkipNotes(attempts: AttemptRecord[], notes: readonly SkipNote[] | null): void {
  if (notes === null) return;
  for (let i = notes.length - 1; i >= 0; i--) {
    const note = notes[i] as SkipNote;
    attempts.splice(Math.min(note.before, attempts.length), 0, note.record);
  }
}

/**
 * A name fit for a response header and for the list it is in (printable ASCII, no `,` or `;`), else `fallback`:
 * account names are free text, and a header value Node cannot send would fail the whole answer.
 */
function headerSafe(name: string, fallback: string): string {
  return /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(name) && !/[,;]/.test(name) ? name : fallback;
}
