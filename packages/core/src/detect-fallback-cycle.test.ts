import { describe, expect, it } from 'vitest';
import { detectFallbackCycle } from './detect-fallback-cycle';

describe('detectFallbackCycle', () => {
  it('returns null for an acyclic configuration', () => {
    expect(detectFallbackCycle([])).toBeNull();
    expect(
      detectFallbackCycle([
        { publicModel: 'a', backupModels: ['b', 'c'] },
        { publicModel: 'b', backupModels: ['c'] },
        { publicModel: 'c', backupModels: [] },
      ]),
    ).toBeNull();
  });

  it('treats backups that name no route as leaves', () => {
    expect(detectFallbackCycle([{ publicModel: 'a', backupModels: ['x', 'y'] }])).toBeNull();
  });

  it('finds a two-route cycle as a closed path', () => {
    expect(
      detectFallbackCycle([
        { publicModel: 'a', backupModels: ['b'] },
        { publicModel: 'b', backupModels: ['a'] },
      ]),
    ).toEqual(['a', 'b', 'a']);
  });

  it('finds a route that lists itself', () => {
    expect(detectFallbackCycle([{ publicModel: 'a', backupModels: ['a'] }])).toEqual(['a', 'a']);
  });

  it('reports only the cycle, not the path leading into it', () => {
    expect(
      detectFallbackCycle([
        { publicModel: 'entry', backupModels: ['x'] },
        { publicModel: 'x', backupModels: ['y'] },
        { publicModel: 'y', backupModels: ['z'] },
        { publicModel: 'z', backupModels: ['x'] },
      ]),
    ).toEqual(['x', 'y', 'z', 'x']);
  });

  it('does not mistake a diamond (shared backup) for a cycle', () => {
    expect(
      detectFallbackCycle([
        { publicModel: 'a', backupModels: ['b', 'c'] },
        { publicModel: 'b', backupModels: ['d'] },
        { publicModel: 'c', backupModels: ['d'] },
        { publicModel: 'd', backupModels: [] },
      ]),
    ).toBeNull();
  });

  it('finds a cycle reached only through a later backup', () => {
    expect(
      detectFallbackCycle([
        { publicModel: 'a', backupModels: ['leaf', 'b'] },
        { publicModel: 'b', backupModels: ['c'] },
        { publicModel: 'c', backupModels: ['b'] },
      ]),
    ).toEqual(['b', 'c', 'b']);
  });

  it('merges duplicate entries for one model', () => {
    expect(
      detectFallbackCycle([
        { publicModel: 'a', backupModels: ['b'] },
        { publicModel: 'b', backupModels: [] },
        { publicModel: 'b', backupModels: ['a'] },
      ]),
    ).toEqual(['a', 'b', 'a']);
  });
});
