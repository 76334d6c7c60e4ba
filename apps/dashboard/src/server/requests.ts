import { z } from 'zod';
import { usageSurfaces } from '../lib/usage-surfaces';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { pageQueryFields, parseCursor } from './pagination';
import { storableString, trafficClass } from './schema-helpers';
import { toUsageEventViews, type UsageEventView, usageStatuses } from './usage';

// Storable text only: a NUL would otherwise reach PostgreSQL, which refuses it (a 500, not an empty page).
const id = storableString(200);

/** The request explorer's query: every filter an exact match, all ANDed; newest first, keyset paged. */
export const listRequestsQuery = z.object({
  ...pageQueryFields(50),
  /** Start (inclusive), ISO 8601 with a zone. */
  from: z.iso.datetime({ offset: true }).optional(),
  /** End (exclusive), ISO 8601 with a zone. */
  to: z.iso.datetime({ offset: true }).optional(),
  /** A request id (`req_…`, the `x-request-id` the router answered with): at most one row. */
  requestId: id.optional(),
  keyId: id.optional(),
  teamId: id.optional(),
  /** The model the caller asked for (public name or alias). */
  requestedModel: id.optional(),
  /** The upstream model that served the request. */
  servedModel: id.optional(),
  /** The provider that served the request. */
  providerId: id.optional(),
  status: z.enum(usageStatuses).optional(),
  trafficClass: trafficClass.optional(),
  /** The request's error class (`upstream_5xx`, `budget_exceeded`, …). */
  errorClass: id.optional(),
  /** The protocol the caller spoke. */
  surface: z.enum(usageSurfaces).optional(),
});

export type ListRequestsQuery = z.infer<typeof listRequestsQuery>;

/** One request in full, as the explorer's detail view shows it. */
export type RequestDetailView = UsageEventView & {
  /** Name of the key's team at read time; null when none or it is gone. */
  teamName: string | null;
  /** Name of the provider that served the request, at read time; null when none did or it is gone. */
  servedProviderName: string | null;
};

function epochMs(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Date.parse(text);
}

export async function listRequests(
  ctx: AdminContext,
  _actor: Actor,
  query: ListRequestsQuery,
): Promise<{ items: UsageEventView[]; nextCursor: string | null }> {
  const from = epochMs(query.from);
  const to = epochMs(query.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new AdminError('invalid_request', 'to: must be after from', 'to');
  }
  const page = await ctx.repos.usage.searchRequests({
    from,
    to,
    requestId: query.requestId,
    keyId: query.keyId,
    teamId: query.teamId,
    requestedModel: query.requestedModel,
    servedModel: query.servedModel,
    providerId: query.providerId,
    status: query.status,
    trafficClass: query.trafficClass,
    errorClass: query.errorClass,
    surface: query.surface,
    limit: query.limit,
    cursor: parseCursor(query.cursor),
  });
  if (page === 'timed_out') {
    throw new AdminError(
      'invalid_request',
      'from: these filters match too few requests to search the whole history in time; narrow it with a time range (from/to)',
      'from',
    );
  }
  return { items: await toUsageEventViews(ctx, page.items), nextCursor: page.nextCursor };
}

export async function getRequest(
  ctx: AdminContext,
  _actor: Actor,
  requestId: string,
): Promise<RequestDetailView> {
  const event = await ctx.repos.usage.findEvent(requestId);
  if (!event) throw new AdminError('not_found', `No request with id ${requestId}.`);
  const [[view], team, provider] = await Promise.all([
    toUsageEventViews(ctx, [event]),
    event.teamId === null ? null : ctx.repos.teams.findById(event.teamId),
    event.servedProviderId === null ? null : ctx.repos.providers.findById(event.servedProviderId),
  ]);
  if (!view) throw new AdminError('internal', `Request ${requestId} could not be read.`);
  return { ...view, teamName: team?.name ?? null, servedProviderName: provider?.name ?? null };
}
