import { insertUsageEvents, newId } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../src/server/actor';
import { AdminError } from '../src/server/admin-error';
import {
  createKey,
  createKeyInput,
  getKey,
  rotateKey,
  rotateKeyInput,
  updateKey,
  updateKeyInput,
} from '../src/server/keys';
import { getRequest, getRequestPayload } from '../src/server/requests';
import { createRoute, createRouteInput, getRoute, updateRoute, updateRouteInput } from '../src/server/routes';
import { type AdminTestContext, startAdminTestContext, thrown } from './admin-test-context';
import { providerWithAccounts } from './routing-fixtures';

let t: AdminTestContext;

beforeAll(async () => {
  t = await startAdminTestContext();
});
afterAll(async () => {
  await t?.close();
});

const AT = Date.parse('2030-01-15T09:00:00.000Z');

describe('captured payloads in the request explorer', () => {
  beforeAll(async () => {
    await t.prisma.team.createMany({
      data: [
        { id: 'team_pay_a', name: 'payload team a' },
        { id: 'team_pay_b', name: 'payload team b' },
      ],
    });
    await insertUsageEvents(t.prisma, [
      buildUsageEvent({
        requestId: 'req_captured',
        teamId: 'team_pay_a',
        createdAt: AT,
        payload: {
          request: '{"messages":[{"role":"user","content":"hi"}]}',
          requestTruncated: false,
          response: 'data: {"x":1}\n\n',
          responseTruncated: true,
        },
      }),
      buildUsageEvent({ requestId: 'req_uncaptured', teamId: 'team_pay_a', createdAt: AT }),
      buildUsageEvent({
        requestId: 'req_no_team',
        teamId: null,
        createdAt: AT,
        payload: {
          request: '{"secret":"no team"}',
          requestTruncated: false,
          response: '{}',
          responseTruncated: false,
        },
      }),
    ]);
  });

  it('answers the bodies, their truncation flags and when they are deleted', async () => {
    expect(await getRequestPayload(t.ctx, t.viewer, 'req_captured')).toEqual({
      requestId: 'req_captured',
      retentionDays: 7,
      payload: {
        request: '{"messages":[{"role":"user","content":"hi"}]}',
        requestTruncated: false,
        response: 'data: {"x":1}\n\n',
        responseTruncated: true,
        expiresAt: '2030-01-22T09:00:00.000Z',
      },
    });
  });

  it('answers payload null for a request that was not captured, and not_found for an unknown one', async () => {
    expect(await getRequestPayload(t.ctx, t.viewer, 'req_uncaptured')).toEqual({
      requestId: 'req_uncaptured',
      retentionDays: 7,
      payload: null,
    });
    const error = await thrown(() => getRequestPayload(t.ctx, t.viewer, 'req_nope'));
    expect(error).toBeInstanceOf(AdminError);
    expect((error as AdminError).code).toBe('not_found');
  });

  it("shows a member their own team's payloads and another team's as unknown", async () => {
    const member = (teamId: string | null): Actor => ({
      kind: 'user',
      userId: newId('usr'),
      email: 'member@example.com',
      role: 'member',
      teamId,
    });
    const own = await getRequestPayload(t.ctx, member('team_pay_a'), 'req_captured');
    expect(own.payload?.request).toContain('hi');
    const error = await thrown(async () => getRequestPayload(t.ctx, member('team_pay_b'), 'req_captured'));
    expect((error as AdminError).code).toBe('not_found');
    // A member without a team reads no team's requests (as the request's detail answers): not the team-less ones.
    const teamless = await thrown(async () => getRequestPayload(t.ctx, member(null), 'req_no_team'));
    expect((teamless as AdminError).code).toBe('not_found');
    const detail = await thrown(async () => getRequest(t.ctx, member(null), 'req_no_team'));
    expect((detail as AdminError).code).toBe('not_found');
  });
});

describe('capturePayloads on keys and routes', () => {
  it('is off by default, switched by PATCH, audited, and kept by a rotation', async () => {
    const { key } = await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'capture-me' }));
    expect(key.capturePayloads).toBe(false);
    const on = await updateKey(t.ctx, t.owner, key.id, updateKeyInput.parse({ capturePayloads: true }));
    expect(on.capturePayloads).toBe(true);
    expect((await getKey(t.ctx, t.owner, key.id)).capturePayloads).toBe(true);
    const audit = await t.prisma.auditLog.findFirst({
      where: { targetId: key.id, action: 'api_key.update' },
      orderBy: { createdAt: 'desc' },
    });
    expect(audit?.details).toMatchObject({ capturePayloads: true });
    const rotated = await rotateKey(t.ctx, t.owner, key.id, rotateKeyInput.parse({ graceSeconds: 60 }));
    expect(rotated.key.capturePayloads).toBe(true);
  });

  it('refuses a non-boolean naming the field', () => {
    for (const schema of [updateKeyInput, updateRouteInput]) {
      const parsed = schema.safeParse({ capturePayloads: 'yes' });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['capturePayloads']);
    }
  });

  it('is stored on a route at creation and changed by PATCH', async () => {
    const { accounts } = await providerWithAccounts(t, 'capture-account');
    const route = await createRoute(
      t.ctx,
      t.owner,
      createRouteInput.parse({
        publicModel: 'capture-route',
        targets: [{ accountId: accounts[0]?.id, upstreamModel: 'm' }],
        capturePayloads: true,
      }),
    );
    expect(route.capturePayloads).toBe(true);
    const off = await updateRoute(
      t.ctx,
      t.owner,
      route.id,
      updateRouteInput.parse({ capturePayloads: false }),
    );
    expect(off.capturePayloads).toBe(false);
    expect((await getRoute(t.ctx, t.owner, route.id)).capturePayloads).toBe(false);
    expect((await t.prisma.route.findUnique({ where: { id: route.id } }))?.capturePayloads).toBe(false);
  });
});
