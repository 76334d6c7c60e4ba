import type { AttemptRecord, ResolvedTarget } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { fallbackReason, insertSkipNotes, noteSkipped } from './skip-notes';

function target(id: string, accountName: string, model = 'gpt-4o'): ResolvedTarget {
  return {
    target: { id, accountId: `acc_${id}`, upstreamModel: model, tier: 0, weight: 1, enabled: true },
    account: {
      id: `acc_${id}`,
      providerId: 'prv_1',
      name: accountName,
      credential: 'c',
      weight: 1,
      priority: 0,
      enabled: true,
      credentialRejectedAt: null,
    },
    provider: { id: 'prv_1', name: 'p', kind: 'openai_compatible', baseUrl: 'http://x/v1', enabled: true },
  };
}

function sent(
  targetId: string,
  reason: AttemptRecord['reason'],
  errorClass: AttemptRecord['errorClass'],
): AttemptRecord {
  return {
    targetId,
    accountId: `acc_${targetId}`,
    providerId: 'prv_1',
    model: 'gpt-4o',
    status: errorClass ? 503 : 200,
    errorClass,
    latencyMs: 5,
    ttftMs: null,
    reason,
  };
}

describe('skip notes', () => {
  it('allocates nothing when nothing was skipped', () => {
    expect(noteSkipped(null, undefined, 0)).toBeNull();
    expect(noteSkipped(null, [], 0)).toBeNull();
  });

  it('names the skipped target and why in the fallback reason; the first choice serving needs none', () => {
    const notes = noteSkipped(null, [{ target: target('a', 'team-a'), reason: 'circuit_open' }], 0);
    expect(fallbackReason([sent('b', 'primary', null)], notes)).toBe('skipped team-a/gpt-4o: circuit_open');
    expect(fallbackReason([sent('b', 'primary', null)], null)).toBeNull();
  });

  it('keeps the rung and the error before it, then every skip of the request, each target once', () => {
    let notes = noteSkipped(null, [{ target: target('a', 'team-a'), reason: 'cooling' }], 0);
    notes = noteSkipped(
      notes,
      [
        { target: target('a', 'team-a'), reason: 'cooling' },
        { target: target('c', 'team-c', 'llama3:8b'), reason: 'credential_rejected' },
      ],
      1,
    );
    const attempts = [sent('b', 'primary', 'server_error'), sent('d', 'other_provider', null)];
    expect(fallbackReason(attempts, notes)).toBe(
      'other_provider; after server_error; skipped team-a/gpt-4o: cooling, team-c/llama3:8b: credential_rejected',
    );
  });

  it('falls back to ids for names a header cannot carry or that would break the list', () => {
    const notes = noteSkipped(
      null,
      [
        { target: target('a', 'équipe'), reason: 'circuit_open' },
        { target: target('b', 'a, b'), reason: 'disabled' },
      ],
      0,
    );
    expect(fallbackReason([sent('c', 'primary', null)], notes)).toBe(
      'skipped acc_a/gpt-4o: circuit_open, acc_b/gpt-4o: disabled',
    );
  });

  it('puts each skip into the usage row before the attempt it preceded, as a not-sent attempt', () => {
    let notes = noteSkipped(null, [{ target: target('a', 'team-a'), reason: 'circuit_open' }], 0);
    notes = noteSkipped(notes, [{ target: target('c', 'team-c'), reason: 'cooling' }], 1);
    const attempts = [sent('b', 'primary', 'server_error'), sent('d', 'other_provider', null)];
    insertSkipNotes(attempts, notes);
    expect(attempts.map((x) => [x.targetId, x.status, x.errorClass, x.reason, x.latencyMs])).toEqual([
      ['a', null, 'circuit_open', 'skipped', 0],
      ['b', 503, 'server_error', 'primary', 5],
      ['c', null, 'cooling', 'skipped', 0],
      ['d', 200, null, 'other_provider', 5],
    ]);
  });
});
