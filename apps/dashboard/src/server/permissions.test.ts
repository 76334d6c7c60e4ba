import { USER_ROLES } from '@switchyard/db/admin';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor } from './actor';
import { AdminError } from './admin-error';
import {
  can,
  keyTeamScope,
  mayAssignRole,
  PERMISSIONS,
  type Permission,
  requireKeyInScope,
} from './permissions';

const ALL_PERMISSIONS: Permission[] = [
  'read',
  'config.write',
  'keys.write',
  'users.manage',
  'tokens.manage',
  'audit.read',
];
const teamId = fc.option(fc.constantFrom('team_a', 'team_b', 'team_c'), { nil: null });

const actor: fc.Arbitrary<Actor> = fc.oneof(
  fc.record({
    kind: fc.constant('user' as const),
    userId: fc.constant('usr_x'),
    email: fc.constant('x@example.com'),
    role: fc.constantFrom(...USER_ROLES),
    teamId,
  }),
  fc.constant<Actor>({ kind: 'admin_token', role: 'owner', teamId: null }),
  fc.record({
    kind: fc.constant('api_token' as const),
    tokenId: fc.constant('atk_x'),
    name: fc.constant('ci'),
    role: fc.constantFrom('admin' as const, 'member' as const, 'viewer' as const),
    teamId,
  }),
);

function refusesKey(who: Actor, key: { id: string; teamId: string | null }): boolean {
  try {
    requireKeyInScope(who, key);
    return false;
  } catch (error) {
    expect(error).toBeInstanceOf(AdminError);
    expect((error as AdminError).code).toBe('not_found');
    return true;
  }
}

describe('the permission table', () => {
  it('orders the roles: each holds every permission of the roles below it', () => {
    const [owner, admin, member, viewer] = USER_ROLES.map((role) => new Set(PERMISSIONS[role]));
    for (const [higher, lower] of [
      [owner, admin],
      [admin, member],
      [member, viewer],
    ] as const) {
      for (const permission of lower ?? []) expect(higher?.has(permission)).toBe(true);
    }
    expect([...(viewer ?? [])]).toEqual(['read']);
  });

  it('never lets a token manage users or tokens, whatever its role', () => {
    fc.assert(
      fc.property(actor, (who) => {
        if (who.kind !== 'api_token') return;
        expect(can(who, 'users.manage')).toBe(false);
        expect(can(who, 'tokens.manage')).toBe(false);
      }),
    );
  });

  it('lets a scoped actor reach a key only when it is in the same, non-null team', () => {
    fc.assert(
      fc.property(actor, teamId, (who, keyTeam) => {
        const scope = keyTeamScope(who);
        const refused = refusesKey(who, { id: 'key_x', teamId: keyTeam });
        if (scope === null) expect(refused).toBe(false);
        else expect(refused).toBe(scope.teamId === null || scope.teamId !== keyTeam);
        // Members and team tokens are scoped; owners, admins and viewers (reading) are not.
        if (who.kind === 'user' && who.role === 'member') expect(scope).toEqual({ teamId: who.teamId });
        if (who.kind === 'user' && who.role !== 'member') expect(scope).toBeNull();
      }),
    );
  });

  it('leaves owners to owners', () => {
    fc.assert(
      fc.property(actor, fc.constantFrom(...USER_ROLES), (who, role) => {
        expect(mayAssignRole(who, role)).toBe(role !== 'owner' || who.role === 'owner');
      }),
    );
  });

  it('gives every role read, and writes only to those the table names', () => {
    fc.assert(
      fc.property(actor, fc.constantFrom(...ALL_PERMISSIONS), (who, permission) => {
        expect(can(who, 'read')).toBe(true);
        if (can(who, permission)) expect(PERMISSIONS[who.role]).toContain(permission);
      }),
    );
  });
});
