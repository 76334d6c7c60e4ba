import type { z } from 'zod';
import { createAccountInput, listAccountsQuery, updateAccountInput } from '../server/accounts';
import { createAdminTokenInput } from '../server/admin-tokens';
import { listAuditLogQuery } from '../server/audit';
import { createBudgetInput, updateBudgetInput } from '../server/budgets';
import { costQuery } from '../server/cost';
import { createKeyInput, listKeysQuery, rotateKeyInput, updateKeyInput } from '../server/keys';
import { createPriceInput, listPricesQuery } from '../server/prices';
import { createProviderInput, updateProviderInput } from '../server/providers';
import { listRequestsQuery } from '../server/requests';
import { createRouteInput, updateRouteInput, updateRouteTargetInput } from '../server/routes';
import { createTeamInput, updateTeamInput } from '../server/teams';
import { hourlyUsageQuery, listUsageEventsQuery } from '../server/usage';
import { listUsageDeadLettersQuery } from '../server/usage-dead-letters';
import { createUserInput, inviteUserInput, listUsersQuery, updateUserInput } from '../server/users';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What a successful call answers: JSON, a file download, or nothing (204). */
export type SuccessResponse =
  | { status: 200 | 201; kind: 'json'; description: string }
  | { status: 200; kind: 'file'; contentType: string; description: string }
  | { status: 204; kind: 'empty'; description: string };

/**
 * One admin API operation, described with the zod schemas its route handler validates with (imported from the
 * same server modules), so the OpenAPI document cannot describe a body the handler would refuse.
 */
export interface AdminApiOperation {
  method: HttpMethod;
  /** The path under /api/admin/v1, with Next's `[param]` folders written `{param}`. */
  path: string;
  summary: string;
  tag: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A body the handler reads without a zod schema (a price catalog, checked by core's parser). */
  bodyDescription?: string;
  success: SuccessResponse;
  /** false for the one endpoint that needs no credential. */
  authenticated?: boolean;
  /** Only writers (owner, admin) may call it. */
  writes?: boolean;
  /** Only owners and admins may call it, though it only reads. */
  adminOnly?: boolean;
  /** Who may call it, when that is not simply "writers" or "owners and admins". */
  access?: string;
}

/** API keys are the one resource members manage, within their own team. */
const KEY_WRITE_ACCESS =
  '`owner` and `admin`: any key. `member` (and a write token limited to a team): only keys of their own team; ' +
  "another team's key answers 404 as if it did not exist. `viewer` and read tokens get 403.";

/** Users and admin tokens are managed by people, not by scripts. */
const PEOPLE_ACCESS =
  'Only a signed-in `owner` or `admin`, or the bootstrap SWITCHYARD_ADMIN_TOKEN; admin API tokens get 403. ' +
  'Only an owner may create, change or disable owners.';

const json = (description: string, status: 200 | 201 = 200): SuccessResponse => ({
  status,
  kind: 'json',
  description,
});
const empty: SuccessResponse = { status: 204, kind: 'empty', description: 'Deleted; no body.' };

/** Every operation of /api/admin/v1; a test holds this list and the route files under app/api/admin/v1 together. */
export const ADMIN_API_OPERATIONS: readonly AdminApiOperation[] = [
  {
    method: 'GET',
    path: '/openapi.json',
    summary: 'This OpenAPI document',
    tag: 'meta',
    success: json('The OpenAPI 3.1 document of the admin API.'),
    authenticated: false,
  },
  {
    method: 'GET',
    path: '/health',
    summary: 'Routers, targets and usage pipeline health',
    tag: 'health',
    success: json('The health report.'),
  },

  {
    method: 'GET',
    path: '/providers',
    summary: 'List providers',
    tag: 'providers',
    success: json('`{ items: Provider[] }`'),
  },
  {
    method: 'POST',
    path: '/providers',
    summary: 'Create a provider',
    tag: 'providers',
    body: createProviderInput,
    success: json('The provider.', 201),
    writes: true,
  },
  {
    method: 'PATCH',
    path: '/providers/{id}',
    summary: 'Change a provider',
    tag: 'providers',
    body: updateProviderInput,
    success: json('The provider.'),
    writes: true,
  },

  {
    method: 'GET',
    path: '/accounts',
    summary: 'List upstream accounts',
    tag: 'accounts',
    query: listAccountsQuery,
    success: json('`{ items: Account[] }`; never a credential.'),
  },
  {
    method: 'POST',
    path: '/accounts',
    summary: 'Create an upstream account',
    tag: 'accounts',
    body: createAccountInput,
    success: json('The account, without its credential.', 201),
    writes: true,
  },
  {
    method: 'GET',
    path: '/accounts/{id}',
    summary: 'Read an upstream account',
    tag: 'accounts',
    success: json('The account, without its credential.'),
  },
  {
    method: 'PATCH',
    path: '/accounts/{id}',
    summary: 'Change an upstream account (a new credential clears a rejection)',
    tag: 'accounts',
    body: updateAccountInput,
    success: json('The account.'),
    writes: true,
  },
  {
    method: 'POST',
    path: '/accounts/{id}/credential/reset',
    summary: 'Trust the credential again after an upstream rejected it',
    tag: 'accounts',
    success: json('The account.'),
    writes: true,
  },
  {
    method: 'POST',
    path: '/accounts/{id}/test',
    summary: 'Test the connection: list models upstream with the stored credential',
    tag: 'accounts',
    success: json(
      '`{ ok, status, latencyMs, url, models, modelCount, error }`; a failed upstream call is `ok: false` with a plain-words `error`, not an error status.',
    ),
    writes: true,
  },

  {
    method: 'GET',
    path: '/routes',
    summary: 'List routes',
    tag: 'routes',
    success: json('`{ items: Route[] }` with effective policies and breaker thresholds.'),
  },
  {
    method: 'POST',
    path: '/routes',
    summary: 'Create a route',
    tag: 'routes',
    body: createRouteInput,
    success: json('The route.', 201),
    writes: true,
  },
  {
    method: 'GET',
    path: '/routes/{id}',
    summary: 'Read a route',
    tag: 'routes',
    success: json('The route.'),
  },
  {
    method: 'PATCH',
    path: '/routes/{id}',
    summary: 'Change a route (lists are replaced)',
    tag: 'routes',
    body: updateRouteInput,
    success: json('The route.'),
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/routes/{id}',
    summary: 'Delete a route',
    tag: 'routes',
    success: empty,
    writes: true,
  },
  {
    method: 'PATCH',
    path: '/routes/{id}/targets/{targetId}',
    summary: 'Change one target (enabled, weight, tier)',
    tag: 'routes',
    body: updateRouteTargetInput,
    success: json('The whole route.'),
    writes: true,
  },

  {
    method: 'GET',
    path: '/prices',
    summary: 'List prices (in force now, or the history)',
    tag: 'prices',
    query: listPricesQuery,
    success: json('`{ items: Price[] }`; amounts are decimal USD strings per million tokens.'),
  },
  {
    method: 'POST',
    path: '/prices',
    summary: 'Add a price row',
    tag: 'prices',
    body: createPriceInput,
    success: json('The price row.', 201),
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/prices/{id}',
    summary: 'Delete a price row that has not taken effect',
    tag: 'prices',
    success: empty,
    writes: true,
  },
  {
    method: 'GET',
    path: '/prices/export',
    summary: 'Every price row in the interchange format',
    tag: 'prices',
    success: json('A price catalog (JSON array) that `POST /prices/import` reads back.'),
  },
  {
    method: 'POST',
    path: '/prices/import',
    summary: 'Import a price catalog, all or nothing',
    tag: 'prices',
    bodyDescription:
      'A price catalog: a JSON array in the format `GET /prices/export` answers, checked entry by entry.',
    success: json('`{ created, skippedIdentical }`'),
    writes: true,
  },

  {
    method: 'GET',
    path: '/budgets',
    summary: 'List budgets with spend in the current period',
    tag: 'budgets',
    success: json('`{ items: Budget[] }`; money is micro-USD as decimal strings.'),
  },
  {
    method: 'POST',
    path: '/budgets',
    summary: 'Create a budget',
    tag: 'budgets',
    body: createBudgetInput,
    success: json('The budget.', 201),
    writes: true,
  },
  {
    method: 'GET',
    path: '/budgets/{id}',
    summary: 'Read a budget',
    tag: 'budgets',
    success: json('The budget.'),
  },
  {
    method: 'PATCH',
    path: '/budgets/{id}',
    summary: 'Change a budget',
    tag: 'budgets',
    body: updateBudgetInput,
    success: json('The budget.'),
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/budgets/{id}',
    summary: 'Delete a budget',
    tag: 'budgets',
    success: empty,
    writes: true,
  },

  {
    method: 'GET',
    path: '/teams',
    summary: 'List teams',
    tag: 'teams',
    success: json('`{ items: Team[] }`'),
  },
  {
    method: 'POST',
    path: '/teams',
    summary: 'Create a team',
    tag: 'teams',
    body: createTeamInput,
    success: json('The team.', 201),
    writes: true,
  },
  { method: 'GET', path: '/teams/{id}', summary: 'Read a team', tag: 'teams', success: json('The team.') },
  {
    method: 'PATCH',
    path: '/teams/{id}',
    summary: 'Change a team',
    tag: 'teams',
    body: updateTeamInput,
    success: json('The team.'),
    writes: true,
  },
  {
    method: 'DELETE',
    path: '/teams/{id}',
    summary: 'Delete a team (refused while it has keys)',
    tag: 'teams',
    success: empty,
    writes: true,
  },

  {
    method: 'GET',
    path: '/users',
    summary: 'List console users',
    tag: 'users',
    query: listUsersQuery,
    success: json('`{ items: User[] }`; status is `active`, `invited` or `disabled`.'),
    adminOnly: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'POST',
    path: '/users',
    summary: 'Create a user, or invite one (no password)',
    tag: 'users',
    body: createUserInput,
    success: json(
      '`{ user, invite }`: without a password, `invite.url` is a one-time link (shown this once) with which the user sets one.',
      201,
    ),
    writes: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'GET',
    path: '/users/{id}',
    summary: 'Read a user',
    tag: 'users',
    success: json('The user.'),
    adminOnly: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'PATCH',
    path: '/users/{id}',
    summary: "Change a user's name, role or team, or disable them",
    tag: 'users',
    body: updateUserInput,
    success: json('The user. A role change or disabling ends their sessions at once.'),
    writes: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'POST',
    path: '/users/{id}/invite',
    summary: 'Issue a new one-time invite link (earlier links stop working)',
    tag: 'users',
    body: inviteUserInput,
    success: json('`{ user, invite }`: `invite.url` is shown this once.', 201),
    writes: true,
    access: PEOPLE_ACCESS,
  },

  {
    method: 'GET',
    path: '/tokens',
    summary: 'List admin API tokens',
    tag: 'tokens',
    success: json('`{ items: AdminToken[] }`: prefix, scope, team, last use; never the secret.'),
    adminOnly: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'POST',
    path: '/tokens',
    summary: 'Create a scoped admin API token',
    tag: 'tokens',
    body: createAdminTokenInput,
    success: json('`{ token, plaintext }`: the `sy-adm-…` plaintext is shown this once.', 201),
    writes: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'GET',
    path: '/tokens/{id}',
    summary: 'Read an admin API token',
    tag: 'tokens',
    success: json('The token.'),
    adminOnly: true,
    access: PEOPLE_ACCESS,
  },
  {
    method: 'POST',
    path: '/tokens/{id}/revoke',
    summary: 'Revoke an admin API token (its next call gets 401)',
    tag: 'tokens',
    success: json('The token, revoked.'),
    writes: true,
    access: PEOPLE_ACCESS,
  },

  {
    method: 'GET',
    path: '/keys',
    summary: 'List API keys',
    tag: 'keys',
    query: listKeysQuery,
    success: json('`{ items: Key[], nextCursor }`; never a plaintext or digest.'),
  },
  {
    method: 'POST',
    path: '/keys',
    summary: 'Create an API key',
    tag: 'keys',
    body: createKeyInput,
    success: json('`{ key, plaintext }`: the plaintext is shown this once.', 201),
    writes: true,
    access: KEY_WRITE_ACCESS,
  },
  { method: 'GET', path: '/keys/{id}', summary: 'Read an API key', tag: 'keys', success: json('The key.') },
  {
    method: 'PATCH',
    path: '/keys/{id}',
    summary: "Change a key's policy",
    tag: 'keys',
    body: updateKeyInput,
    success: json('The key.'),
    writes: true,
    access: KEY_WRITE_ACCESS,
  },
  {
    method: 'POST',
    path: '/keys/{id}/revoke',
    summary: 'Revoke an API key',
    tag: 'keys',
    success: json('The key, revoked.'),
    writes: true,
    access: KEY_WRITE_ACCESS,
  },
  {
    method: 'POST',
    path: '/keys/{id}/rotate',
    summary: 'Rotate an API key with a grace period',
    tag: 'keys',
    body: rotateKeyInput,
    success: json(
      "`{ key, plaintext, oldKey }`: a new key with the old one's settings (budgets copied), its plaintext shown this once; the old key stops at `oldKey.expiresAt` on every router.",
    ),
    writes: true,
    access: KEY_WRITE_ACCESS,
  },

  {
    method: 'GET',
    path: '/cost/series',
    summary: 'Cost over time',
    tag: 'cost',
    query: costQuery,
    success: json('Cost buckets; money is micro-USD as decimal strings.'),
  },
  {
    method: 'GET',
    path: '/cost/breakdown',
    summary: 'Cost by a dimension',
    tag: 'cost',
    query: costQuery,
    success: json('Cost rows by the chosen dimension.'),
  },
  {
    method: 'GET',
    path: '/cost/export.csv',
    summary: 'Cost as CSV',
    tag: 'cost',
    query: costQuery,
    success: { status: 200, kind: 'file', contentType: 'text/csv', description: 'A CSV download.' },
  },

  {
    method: 'GET',
    path: '/usage/events',
    summary: 'Recent usage events',
    tag: 'usage',
    query: listUsageEventsQuery,
    success: json('`{ items: UsageEvent[] }`'),
  },
  {
    method: 'GET',
    path: '/usage/hourly',
    summary: 'Hourly usage totals',
    tag: 'usage',
    query: hourlyUsageQuery,
    success: json('Hourly buckets.'),
  },
  {
    method: 'GET',
    path: '/usage/dead-letters',
    summary: 'Usage events that could not be stored',
    tag: 'usage',
    query: listUsageDeadLettersQuery,
    success: json('`{ items, nextCursor }`'),
  },
  {
    method: 'GET',
    path: '/requests',
    summary: 'The request explorer: requests newest first, filtered, keyset-paged',
    tag: 'usage',
    query: listRequestsQuery,
    success: json(
      '`{ items: UsageEvent[], nextCursor }`; pass `nextCursor` back as `cursor` for the next page (null on the last).',
    ),
  },
  {
    method: 'GET',
    path: '/requests/{id}',
    summary: 'One request: attempts, tokens, cost and its flags, attribution',
    tag: 'usage',
    success: json(
      'A UsageEvent with `teamName` and `servedProviderName`; 404 `not_found` for an unknown id.',
    ),
  },
  {
    method: 'GET',
    path: '/audit',
    summary: 'The audit log: changes, sign-ins, failed sign-ins and refused actions, newest first',
    tag: 'audit',
    query: listAuditLogQuery,
    success: json('`{ items, nextCursor }`; secret-looking fields in `details` are masked.'),
    adminOnly: true,
  },
];
