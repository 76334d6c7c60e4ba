import type { AttemptRecord, TrafficClass, UsageEventRecord, WireProtocol } from '@switchyard/core';
import { z } from 'zod';
import { usageSurfaces } from '../lib/usage-surfaces';
import type { Actor } from './actor';
import type { AdminContext } from './admin-context';
import { iso } from './iso-time';
import { pageQueryFields, parseCursor } from './pagination';

export const usageStatuses = ['success', 'error', 'interrupted', 'client_cancelled', 'rejected'] as const;

export const listUsageEventsQuery = z.object({
  keyId: z.string().min(1).optional(),
  model: z.string().min(1).optional(),
  status: z.enum(usageStatuses).optional(),
  surface: z.enum(usageSurfaces).optional(),
  ...pageQueryFields(50),
});

export const MAX_HOURLY_WINDOW = 24 * 31;
const HOUR_MS = 3_600_000;

export const hourlyUsageQuery = z.object({
  hours: z.coerce.number().int().min(1).max(MAX_HOURLY_WINDOW).default(24),
});

export type ListUsageEventsQuery = z.infer<typeof listUsageEventsQuery>;
export type HourlyUsageQuery = z.infer<typeof hourlyUsageQuery>;

/** One request as the API shows it. `costMicros` is integer micro-USD as a decimal string (1 USD = "1000000"). */
export interface UsageEventView {
  requestId: string;
  createdAt: string;
  keyId: string | null;
  /** Name and prefix of the key at read time; null when the key is unknown or deleted. */
  keyName: string | null;
  keyPrefix: string | null;
  teamId: string | null;
  environment: string | null;
  requestedModel: string;
  routeId: string | null;
  servedProviderId: string | null;
  servedAccountId: string | null;
  servedModel: string | null;
  status: UsageEventRecord['status'];
  errorClass: string | null;
  httpStatus: number;
  latencyMs: number;
  ttftMs: number | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicros: string;
  reasoningTokens: number;
  cacheWriteTokens: number;
  /** The upstream reported no usage: tokens were counted by the router's tokenizer and the cost estimated. */
  costEstimated: boolean;
  /** No price was in force for the served model (route policy `allow`): cost is 0 and needs review. */
  unpriced: boolean;
  ownerId: string | null;
  /** The key's tags at request time. */
  tags: string[];
  /** The OpenAI `user` field of the request. */
  endUser: string | null;
  /** String pairs from the x-switchyard-metadata header. */
  metadata: Record<string, string> | null;
  stream: boolean;
  /** The protocol the caller spoke; null on events written before routers recorded it. */
  surface: WireProtocol | null;
  /** The protocol the serving attempt was sent in; null when nothing was served (or on older events). */
  upstreamProtocol: WireProtocol | null;
  /** The traffic class the request ran under; null when refused before it was read (or on older events). */
  trafficClass: TrafficClass | null;
  /** Name of the account that served the request, at read time; null when none did or it is gone. */
  servedAccountName: string | null;
  /** Every upstream attempt, in order. */
  attempts: AttemptView[];
}

/** One upstream attempt as the request log shows it. */
export type AttemptView = Omit<AttemptRecord, 'reason'> & {
  /** Name of the attempt's account at read time; null when it is gone. */
  accountName: string | null;
  /** Why the router picked this target or moved on from it; null on events written before routers said. */
  reason: string | null;
};

/** One UTC hour. `costMicros` is integer micro-USD as a decimal string. */
export interface HourlyUsageView {
  hourStart: string;
  requests: number;
  errors: number;
  costMicros: string;
}

function toAttemptView(attempt: AttemptRecord, accountNames: Map<string, string>): AttemptView {
  // Stored JSON: events written before routers recorded a reason have none.
  const reason: unknown = (attempt as { reason?: unknown }).reason;
  return {
    ...attempt,
    accountName: accountNames.get(attempt.accountId) ?? null,
    reason: typeof reason === 'string' ? reason : null,
  };
}

export async function listUsageEvents(
  ctx: AdminContext,
  _actor: Actor,
  query: ListUsageEventsQuery,
): Promise<{ items: UsageEventView[]; nextCursor: string | null }> {
  const page = await ctx.repos.usage.listEvents({
    keyId: query.keyId,
    model: query.model,
    status: query.status,
    surface: query.surface,
    limit: query.limit,
    cursor: parseCursor(query.cursor),
  });
  return { items: await toUsageEventViews(ctx, page.items), nextCursor: page.nextCursor };
}

/** Events as the API shows them, with key and account names read in two queries for the whole page. */
export async function toUsageEventViews(
  ctx: AdminContext,
  events: readonly UsageEventRecord[],
): Promise<UsageEventView[]> {
  const keyIds = [...new Set(events.flatMap((event) => (event.keyId === null ? [] : [event.keyId])))];
  const accountIds = [
    ...new Set(
      events.flatMap((event) => [
        ...(event.servedAccountId === null ? [] : [event.servedAccountId]),
        ...event.attempts.map((attempt) => attempt.accountId),
      ]),
    ),
  ];
  const [keyRows, accountRows] = await Promise.all([
    ctx.repos.apiKeys.findManyByIds(keyIds),
    ctx.repos.upstreamAccounts.findManyByIds(accountIds),
  ]);
  const keys = new Map(keyRows.map((key) => [key.id, key]));
  const accountNames = new Map(accountRows.map((account) => [account.id, account.name]));
  return events.map(({ costMicros, createdAt, attempts, trafficClass, ...event }): UsageEventView => {
    const key = event.keyId === null ? undefined : keys.get(event.keyId);
    return {
      ...event,
      createdAt: iso(createdAt),
      costMicros: costMicros.toString(),
      trafficClass: trafficClass ?? null,
      keyName: key?.name ?? null,
      keyPrefix: key?.prefix ?? null,
      servedAccountName:
        event.servedAccountId === null ? null : (accountNames.get(event.servedAccountId) ?? null),
      attempts: attempts.map((attempt) => toAttemptView(attempt, accountNames)),
    };
  });
}

export async function hourlyUsage(
  ctx: AdminContext,
  _actor: Actor,
  query: HourlyUsageQuery,
): Promise<{ hours: number; items: HourlyUsageView[] }> {
  // From the hourly rollups, never raw events: the chart stays fast with millions of rows.
  const currentHour = Math.floor(ctx.now().getTime() / HOUR_MS) * HOUR_MS;
  const buckets = await ctx.repos.cost.hourlyUsage(
    currentHour - (query.hours - 1) * HOUR_MS,
    currentHour + HOUR_MS,
  );
  return {
    hours: query.hours,
    items: buckets.map((bucket) => ({
      hourStart: iso(bucket.hourStart),
      requests: bucket.requests,
      errors: bucket.errors,
      costMicros: bucket.costMicros.toString(),
    })),
  };
}
