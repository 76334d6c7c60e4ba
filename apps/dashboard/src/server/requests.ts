import { z } from 'zod';
import { usageSurfaces } from '../lib/usage-surfaces';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { AdminError } from './admin-error';
import { pageQueryFields, parseCursor } from './pagination';
import { authorize, inReadScope, readableTeamIds } from './permissions';
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
  actor: Actor,
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
    teamIds: readableTeamIds(actor),
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
  actor: Actor,
  requestId: string,
): Promise<RequestDetailView> {
  const event = await ctx.repos.usage.findEvent(requestId);
  // Another team's request answers as one that does not exist: a member learns nothing, not even that it ran.
  if (!event || !inReadScope(actor, event.teamId))
    throw new AdminError('not_found', `No request with id ${requestId}.`);
  const [[view], team, provider] = await Promise.all([
    toUsageEventViews(ctx, [event]),
    event.teamId === null ? null : ctx.repos.teams.findById(event.teamId),
    event.servedProviderId === null ? null : ctx.repos.providers.findById(event.servedProviderId),
  ]);
  if (!view) throw new AdminError('internal', `Request ${requestId} could not be read.`);
  return { ...view, teamName: team?.name ?? null, servedProviderName: provider?.name ?? null };
}

/** A request's captured bodies as the admin API and the explorer show them. */
export interface RequestPayloadView {
  requestId: string;
  /** How long captured payloads are kept (PAYLOAD_RETENTION_DAYS). */
  retentionDays: number;
  /** Null: not captured (neither its key nor its route opted in), or deleted after the retention. */
  payload: {
    /** The request body as the client sent it (UTF-8), cut at the routers' PAYLOAD_CAPTURE_MAX_BYTES. */
    request: string;
    requestTruncated: boolean;
    /** What the client received: the JSON answer or error, or a stream's raw server-sent events. */
    response: string;
    responseTruncated: boolean;
    /** When it is deleted: the request's time plus the retention. */
    expiresAt: string;
  } | null;
}

const DAY_MS = 86_400_000;

/**
 * The bodies captured for one request. Bodies are what callers sent and received, so a member (or a team's
 * token) reads only its own team's, and any other request answers as unknown (404), as keys do.
 */
export async function getRequestPayload(
  ctx: AdminContext,
  actor: Actor,
  requestId: string,
): Promise<RequestPayloadView> {
  authorize(actor, 'read');
  const event = await ctx.repos.usage.findEvent(requestId);
  // The same scope as the request's detail (a member without a team reads no team's requests, nor team-less ones).
  if (!event || !inReadScope(actor, event.teamId)) {
    throw new AdminError('not_found', `No request with id ${requestId}.`);
  }
  const stored = await ctx.repos.usage.findPayload(requestId);
  return {
    requestId,
    retentionDays: ctx.payloadRetentionDays,
    payload:
      stored === null
        ? null
        : {
            request: stored.request,
            requestTruncated: stored.requestTruncated,
            response: stored.response,
            responseTruncated: stored.responseTruncated,
            expiresAt: new Date(stored.createdAt + ctx.payloadRetentionDays * DAY_MS).toISOString(),
          },
  };
}
