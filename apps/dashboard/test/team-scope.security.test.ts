// A member of team A, and admin API tokens scoped to team A, read every admin GET route (enumerated from the route
// files, so a new route is covered) and receive nothing that belongs to team B: not its keys, names, requests,
// budgets or spend. Real route modules in their own process (test/serve-admin-api.ts), a real database.
import { randomBytes } from 'node:crypto';
import { insertUsageEvents } from '@switchyard/db';
import { buildUsageEvent } from '@switchyard/db/testing';
import type { Proc } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_API_OPERATIONS } from '../src/openapi/admin-api-operations';
import { type Actor, userActor } from '../src/server/actor';
import { createBudget, createBudgetInput } from '../src/server/budgets';
import { createKey, createKeyInput } from '../src/server/keys';
import { getOverview } from '../src/server/overview';
import { createTeam, createTeamInput } from '../src/server/teams';
import { createUser, createUserInput } from '../src/server/users';
import { listAdminRouteFiles } from './admin-route-files';
import { type AdminTestContext, signedInCookie, startAdminTestContext } from './admin-test-context';
import { startAdminApi } from './start-admin-api';

const ADMIN_TOKEN = 'team-scope-test-admin-token-0123456789';
const SESSION_SECRET = randomBytes(32).toString('hex');
const COST_A = 1_234_567n;
const COST_B = 7_654_321n;

let t: AdminTestContext;
let api: Proc;
let baseUrl: string;
/** Team B's ids, names and figures: none may appear in anything team A's callers read. */
const teamB: Record<string, string> = {};
/** Path parameter values per collection: team B's row where it has one. */
const idOf: Record<string, string> = {};
let teamAId: string;
let requestA: string;
let memberA: Actor;
let callers: { name: string; auth: { cookie?: string; token?: string } }[];

async function get(url: string, auth: { cookie?: string; token?: string }) {
  const headers: Record<string, string> = {};
  if (auth.cookie) headers.cookie = auth.cookie;
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const res = await fetch(`${baseUrl}/api/admin/v1${url}`, { headers });
  return { status: res.status, text: await res.text() };
}

async function memberOf(email: string, teamId: string): Promise<Actor> {
  const { user } = await createUser(
    t.ctx,
    t.owner,
    createUserInput.parse({ email, role: 'member', teamId, password: 'a long enough password' }),
    'http://console.test',
  );
  const found = await t.ctx.repos.users.findById(user.id);
  if (!found) throw new Error('user vanished');
  return userActor(found);
}

beforeAll(async () => {
  t = await startAdminTestContext();
  t.clock.set(new Date());
  ({ proc: api, baseUrl } = await startAdminApi(t, {
    adminToken: ADMIN_TOKEN,
    sessionSecret: SESSION_SECRET,
  }));

  teamAId = (await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'alpha-squad' }))).id;
  const b = await createTeam(t.ctx, t.owner, createTeamInput.parse({ name: 'bravo-squad-secret' }));
  const keyA = (await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'alpha-key', teamId: teamAId })))
    .key;
  const keyB = (
    await createKey(t.ctx, t.owner, createKeyInput.parse({ name: 'bravo-key-secret', teamId: b.id }))
  ).key;
  const budget = (fields: Record<string, unknown>) =>
    createBudget(t.ctx, t.owner, createBudgetInput.parse({ period: 'monthly', limitUsd: '100', ...fields }));
  const teamBudgetB = await budget({ name: 'bravo-team-budget', scope: 'team', scopeId: b.id });
  const keyBudgetB = await budget({ name: 'bravo-key-budget', scope: 'key', scopeId: keyB.id });
  // Its spend is every team's, B's included.
  const globalBudget = await budget({ name: 'whole-gateway-budget', scope: 'global' });
  await budget({ name: 'alpha-team-budget', scope: 'team', scopeId: teamAId });
  const memberB = await memberOf('bravo-member@example.com', b.id);

  const now = Date.now();
  requestA = 'req_alpha_0000000000000001';
  const requestB = 'req_bravo_0000000000000001';
  await insertUsageEvents(t.prisma, [
    buildUsageEvent({
      requestId: requestA,
      createdAt: now - 60_000,
      keyId: keyA.id,
      teamId: teamAId,
      costMicros: COST_A,
      tags: ['alpha-tag'],
    }),
    buildUsageEvent({
      requestId: requestB,
      createdAt: now - 60_000,
      keyId: keyB.id,
      teamId: b.id,
      costMicros: COST_B,
      tags: ['bravo-tag-secret'],
      endUser: 'bravo-end-user',
    }),
  ]);

  Object.assign(teamB, {
    teamId: b.id,
    teamName: b.name,
    keyId: keyB.id,
    keyName: keyB.name,
    keyPrefix: keyB.prefix,
    requestId: requestB,
    teamBudget: teamBudgetB.id,
    keyBudget: keyBudgetB.id,
    teamBudgetName: teamBudgetB.name,
    keyBudgetName: keyBudgetB.name,
    globalBudget: globalBudget.id,
    tag: 'bravo-tag-secret',
    endUser: 'bravo-end-user',
    memberEmail: 'bravo-member@example.com',
    cost: COST_B.toString(),
    costUsd: '7.654321',
    totalCost: (COST_A + COST_B).toString(),
  });
  Object.assign(idOf, {
    keys: keyB.id,
    teams: b.id,
    budgets: teamBudgetB.id,
    requests: requestB,
    users: memberB.kind === 'user' ? memberB.userId : 'usr_missing',
  });

  memberA = await memberOf('alpha-member@example.com', teamAId);
  const ownerCookie = await signedInCookie(t.ctx, t.owner, SESSION_SECRET);
  const mint = async (scope: 'read' | 'write') => {
    const res = await fetch(`${baseUrl}/api/admin/v1/tokens`, {
      method: 'POST',
      headers: { cookie: ownerCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `alpha ${scope}`, scope, teamId: teamAId }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { plaintext: string }).plaintext;
  };
  callers = [
    { name: 'member of A', auth: { cookie: await signedInCookie(t.ctx, memberA, SESSION_SECRET) } },
    { name: 'team-A write token', auth: { token: await mint('write') } },
    { name: 'team-A read token', auth: { token: await mint('read') } },
  ];
}, 180_000);

afterAll(async () => {
  await api?.stop();
  await t?.close();
});

/** Extra query strings worth trying on a route: filters naming team B, every grouping. */
const VARIANTS: Record<string, string[]> = {
  '/keys': ['', `?teamId={teamId}`],
  '/requests': ['', '?teamId={teamId}', '?keyId={keyId}', '?requestId={requestId}'],
  '/usage/events': ['', '?keyId={keyId}'],
  '/usage/hourly': ['', '?hours=48'],
  '/cost/series': ['', ...['team', 'key', 'tag', 'model', 'provider'].map((g) => `?groupBy=${g}`)],
  '/cost/breakdown': ['', ...['team', 'key', 'tag', 'model'].map((g) => `?groupBy=${g}`)],
  '/cost/export.csv': ['', '?groupBy=key', '?groupBy=team', '?groupBy=tag'],
  '/budgets/{id}': ['', '#key'],
};

function urlsFor(routePath: string): string[] {
  const collection = routePath.split('/')[1] ?? '';
  return (VARIANTS[routePath] ?? ['']).map((variant) => {
    const base = routePath
      .replace(/\{\.\.\.\w+\}/g, 'no/such/path')
      .replace(/\{id\}/, variant === '#key' ? (teamB.keyBudget ?? '') : (idOf[collection] ?? 'id_missing'))
      .replace(/\{\w+\}/g, 'id_missing');
    const query =
      variant === '#key' ? '' : variant.replace(/\{(\w+)\}/g, (_, name: string) => teamB[name] ?? '');
    return `${base}${query}`;
  });
}

describe("team A's callers", () => {
  const open = new Set(
    ADMIN_API_OPERATIONS.filter((operation) => operation.authenticated === false).map(
      (operation) => operation.path,
    ),
  );
  const reads = listAdminRouteFiles().filter(
    (route) => route.methods.includes('GET') && !route.catchAll && !open.has(route.path),
  );

  it('cover every admin GET route, new ones included', () => {
    expect(reads.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/cost/breakdown', '/requests/{id}', '/budgets', '/usage/events', '/audit']),
    );
    expect(reads.length).toBeGreaterThan(20);
  });

  it('read nothing of team B on any GET route', async () => {
    const leaks: string[] = [];
    let answered = 0;
    for (const caller of callers) {
      for (const route of reads) {
        for (const url of urlsFor(route.path)) {
          const res = await get(url, caller.auth);
          if (res.status >= 500) leaks.push(`${caller.name} GET ${url} → ${res.status}`);
          if (res.status === 200) answered += 1;
          for (const [what, value] of Object.entries(teamB)) {
            // A 404 may echo the id the caller sent; that tells them nothing they did not know.
            if (value !== '' && !url.includes(value) && res.text.includes(value)) {
              leaks.push(`${caller.name} GET ${url} → ${res.status} shows team B's ${what}`);
            }
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(answered).toBeGreaterThan(40);
  });

  it("still read their own team's requests, spend and budgets", async () => {
    for (const caller of callers) {
      const requests = await get('/requests', caller.auth);
      expect(JSON.parse(requests.text).items.map((item: { requestId: string }) => item.requestId)).toEqual([
        requestA,
      ]);
      expect((await get(`/requests/${requestA}`, caller.auth)).status).toBe(200);
      expect((await get(`/requests/${teamB.requestId}`, caller.auth)).status).toBe(404);
      const breakdown = JSON.parse((await get('/cost/breakdown', caller.auth)).text);
      expect(breakdown.totals.costMicros).toBe(COST_A.toString());
      const budgets = JSON.parse((await get('/budgets', caller.auth)).text);
      expect(budgets.items.map((item: { name: string }) => item.name)).toEqual(['alpha-team-budget']);
      const teams = JSON.parse((await get('/teams', caller.auth)).text);
      expect(teams.items.map((item: { id: string }) => item.id)).toEqual([teamAId]);
    }
  });

  it('see only their own team on the overview page (a server function, no API route)', async () => {
    const overview = await getOverview(t.ctx, memberA);
    expect(overview.last24h).toMatchObject({ requests: 1, costMicros: COST_A.toString() });
    expect(overview.budgets.map((budget) => budget.name)).toEqual(['alpha-team-budget']);
    const text = JSON.stringify(overview);
    expect(Object.entries(teamB).filter(([, value]) => text.includes(value))).toEqual([]);
    const everything = await getOverview(t.ctx, t.owner);
    expect(everything.last24h.costMicros).toBe((COST_A + COST_B).toString());
  });

  it('an unscoped owner still reads every team', async () => {
    const auth = { token: ADMIN_TOKEN };
    const breakdown = JSON.parse((await get('/cost/breakdown', auth)).text);
    expect(breakdown.totals.costMicros).toBe((COST_A + COST_B).toString());
    expect((await get(`/requests/${teamB.requestId}`, auth)).status).toBe(200);
    expect(JSON.parse((await get('/budgets', auth)).text).items).toHaveLength(4);
  });
});
