import { randomUUID } from 'node:crypto';
import {
  type BudgetDefinition,
  type BudgetRecord,
  END_OF_TIME,
  type PeriodWindow,
  periodWindow,
  type ThresholdCrossing,
} from '@switchyard/core';
import type { Logger } from '../logger';
import type { RedisConnection } from '../redis/redis-client';
import type { BudgetStore, BudgetUsageRow, ReserveResult } from './budget-store';
import type { MemoryBudgetStore } from './memory-budget-store';

/** How long after its lease a reservation can still be settled (its spend still counts). */
const LATE_SETTLE_MS = 3_600_000;
/** Period keys outlive their period by this much, then Redis drops them. */
const KEY_GRACE_MS = 7 * 86_400_000;
const MEMORY_PREFIX = 'mem:';

/*
 * Keys, per budget and period ("base" = sy:bud:<budget id>:<period start ms>):
 *   <base>:spent   integer micro-USD settled in the period
 *   <base>:held    integer micro-USD held by live reservations
 *   <base>:leases  sorted set of "<reservation id>:<amount>" scored by lease expiry (epoch ms)
 * and per reservation sy:rsv:<id> = hash { amount, legs: "<base>@<expire-at> …" }.
 * Every script first returns the holds of expired leases on the budgets it touches, so a crashed router's
 * reservations come back without any sweeper. Keys are built inside the scripts: one Redis (or one
 * cluster slot) holds them all.
 */

const EXPIRE_LEASES = `
local function expire_leases(base, now)
  local expired = redis.call('ZRANGEBYSCORE', base .. ':leases', '-inf', now)
  for _, member in ipairs(expired) do
    local amount = string.match(member, ':(%d+)$')
    redis.call('ZREM', base .. ':leases', member)
    if amount then redis.call('DECRBY', base .. ':held', amount) end
  end
end
`;

/** ARGV: rid, amount, now, lease expiry, reservation ttl ms, n, then per budget: base, limit (-1 = soft), expire-at. */
const RESERVE = `${EXPIRE_LEASES}
local rid, amount, now, expires_at, ttl, n = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
for i = 0, n - 1 do expire_leases(ARGV[7 + i * 3], now) end
for i = 0, n - 1 do
  local base, limit = ARGV[7 + i * 3], tonumber(ARGV[8 + i * 3])
  if limit >= 0 then
    local spent = tonumber(redis.call('GET', base .. ':spent') or '0')
    local held = tonumber(redis.call('GET', base .. ':held') or '0')
    if spent + held + amount > limit then return {0, i, limit - spent - held} end
  end
end
local legs = {}
for i = 0, n - 1 do
  local base, expire_at = ARGV[7 + i * 3], ARGV[9 + i * 3]
  redis.call('INCRBY', base .. ':held', amount)
  redis.call('ZADD', base .. ':leases', expires_at, rid .. ':' .. ARGV[2])
  if expire_at ~= '0' then
    redis.call('PEXPIREAT', base .. ':held', expire_at)
    redis.call('PEXPIREAT', base .. ':leases', expire_at)
  end
  legs[#legs + 1] = base .. '@' .. expire_at
end
redis.call('HSET', 'sy:rsv:' .. rid, 'amount', ARGV[2], 'legs', table.concat(legs, ' '))
redis.call('PEXPIRE', 'sy:rsv:' .. rid, ttl)
return {1}
`;

/** ARGV: rid, actual (0 with release = 1 to drop without spending), release flag, now. Returns {base, spent, …}. */
const FINISH = `${EXPIRE_LEASES}
local key = 'sy:rsv:' .. ARGV[1]
local amount = redis.call('HGET', key, 'amount')
local legs = redis.call('HGET', key, 'legs')
if not amount or not legs then return {} end
local out = {}
for leg in string.gmatch(legs, '%S+') do
  local base, expire_at = string.match(leg, '^(.*)@(%d+)$')
  if redis.call('ZREM', base .. ':leases', ARGV[1] .. ':' .. amount) == 1 then
    redis.call('DECRBY', base .. ':held', amount)
  end
  expire_leases(base, ARGV[4])
  if ARGV[3] == '0' then
    local spent = redis.call('INCRBY', base .. ':spent', ARGV[2])
    if expire_at ~= '0' then redis.call('PEXPIREAT', base .. ':spent', expire_at) end
    out[#out + 1] = base
    out[#out + 1] = tostring(spent)
  end
end
redis.call('DEL', key)
return out
`;

/** ARGV: base, spent from the database, expire-at. Raises the shared spend to the database figure, never lowers it. */
const LOAD_SPENT = `
local current = tonumber(redis.call('GET', ARGV[1] .. ':spent') or '0')
if tonumber(ARGV[2]) > current then redis.call('SET', ARGV[1] .. ':spent', ARGV[2]) end
if ARGV[3] ~= '0' then redis.call('PEXPIREAT', ARGV[1] .. ':spent', ARGV[3]) end
return 1
`;

export interface RedisBudgetStoreOptions {
  redis: RedisConnection;
  /**
   * Used while Redis is unreachable when the failure policy is `open` (this instance enforces alone);
   * null with `closed`: reserve answers `unavailable` and the request is refused.
   */
  fallback: MemoryBudgetStore | null;
  logger: Logger;
}

/** A script defined with its key count (0: keys are built inside it), called with its arguments only. */
type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

interface LocalHold {
  amount: bigint;
  budgetIds: string[];
  expiresAt: number;
}

/**
 * Budgets shared by every router instance through Redis: reserve-if-fits, settle and release are single
 * Lua scripts, so holds from all instances are checked and taken atomically and no interleaving can
 * overshoot a hard budget. Spend in the database (usage rollups) seeds the shared figure at each snapshot
 * load; the keys then carry it. One Redis round trip per reserve and one per settlement, no database; the
 * scripts go by EVALSHA (their text is sent once per connection, not with every call).
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly options: RedisBudgetStoreOptions;
  private budgets = new Map<string, BudgetDefinition>();
  /**
   * Each budget's current period, computed once per period rather than per call: a zoned `periodWindow` costs
   * several Intl calls (hundreds of µs per request on the bench machine with a monthly and a daily budget).
   */
  private readonly windows = new Map<BudgetDefinition, PeriodWindow>();
  /** This instance's live reservations, for its budget_usage report (the console sums them). */
  private readonly local = new Map<string, LocalHold>();
  private readonly reserveScript: ScriptRunner;
  private readonly finishScript: ScriptRunner;
  private readonly loadSpentScript: ScriptRunner;

  constructor(options: RedisBudgetStoreOptions) {
    this.options = options;
    const { client } = options.redis;
    client.defineCommand('switchyardBudgetReserve', { lua: RESERVE, numberOfKeys: 0 });
    client.defineCommand('switchyardBudgetFinish', { lua: FINISH, numberOfKeys: 0 });
    client.defineCommand('switchyardBudgetLoadSpent', { lua: LOAD_SPENT, numberOfKeys: 0 });
    const commands = client as unknown as Record<string, ScriptRunner>;
    const bound = (name: string) => (commands[name] as ScriptRunner).bind(client);
    this.reserveScript = bound('switchyardBudgetReserve');
    this.finishScript = bound('switchyardBudgetFinish');
    this.loadSpentScript = bound('switchyardBudgetLoadSpent');
  }

  sync(budgets: readonly BudgetRecord[], now: number): void {
    this.budgets = new Map(budgets.map((b) => [b.definition.id, b.definition]));
    this.windows.clear();
    this.options.fallback?.sync(budgets, now);
    if (!this.options.redis.isUp()) return;
    for (const budget of budgets) {
      const window = periodWindow(budget.definition.period, now, budget.definition.timeZone);
      if (window.start !== budget.spentSince) continue;
      this.options.redis
        .answer(
          this.loadSpentScript(
            baseKey(budget.definition.id, window.start),
            budget.spentMicros.toString(),
            expireAt(window.end),
          ),
        )
        .catch((error: unknown) =>
          this.options.logger.warn('could not load budget spend into redis', {
            budgetId: budget.definition.id,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
    }
  }

  async reserve(
    budgetIds: readonly string[],
    amountMicros: bigint,
    leaseMs: number,
    now: number,
  ): Promise<ReserveResult> {
    const defs = [...new Set(budgetIds)].flatMap((id) => {
      const def = this.budgets.get(id);
      return def ? [def] : [];
    });
    if (defs.length === 0) return { kind: 'reserved', reservationId: `${MEMORY_PREFIX}none` };
    if (!this.options.redis.isUp())
      return this.fallbackReserve(budgetIds, amountMicros, leaseMs, now, 'redis is down');
    const rid = randomUUID();
    const expiresAt = now + leaseMs;
    const args: (string | number)[] = [
      rid,
      amountMicros.toString(),
      now,
      expiresAt,
      leaseMs + LATE_SETTLE_MS,
      defs.length,
    ];
    for (const def of defs) {
      const window = this.windowOf(def, now);
      args.push(
        baseKey(def.id, window.start),
        def.mode === 'hard' ? def.limitMicros.toString() : '-1',
        expireAt(window.end),
      );
    }
    let reply: unknown;
    try {
      reply = await this.options.redis.answer(this.reserveScript(...args));
    } catch (error) {
      return this.fallbackReserve(budgetIds, amountMicros, leaseMs, now, errorMessage(error));
    }
    const [admitted, index, remaining] = reply as [number, number?, number?];
    if (admitted === 1) {
      this.local.set(rid, { amount: amountMicros, budgetIds: defs.map((d) => d.id), expiresAt });
      return { kind: 'reserved', reservationId: rid };
    }
    const budget = defs[index ?? 0] as BudgetDefinition;
    return { kind: 'refused', budget, remainingMicros: BigInt(Math.max(0, remaining ?? 0)) };
  }

  async settle(reservationId: string, actualMicros: bigint, now: number): Promise<ThresholdCrossing[]> {
    if (reservationId.startsWith(MEMORY_PREFIX)) {
      return (
        this.options.fallback?.settle(reservationId.slice(MEMORY_PREFIX.length), actualMicros, now) ?? []
      );
    }
    this.local.delete(reservationId);
    const reply = (await this.options.redis.answer(
      this.finishScript(reservationId, actualMicros.toString(), '0', now),
    )) as string[];
    const crossings: ThresholdCrossing[] = [];
    for (let i = 0; i + 1 < reply.length; i += 2) {
      const budgetId = budgetIdOf(reply[i] as string);
      const def = this.budgets.get(budgetId);
      if (!def) continue;
      const after = BigInt(reply[i + 1] as string);
      const before = after - actualMicros;
      const window = this.windowOf(def, now);
      for (const threshold of def.alertThresholds) {
        const mark = BigInt(threshold) * def.limitMicros;
        if (before * 100n < mark && after * 100n >= mark) {
          crossings.push({
            budgetId,
            budgetName: def.name,
            mode: def.mode,
            threshold,
            spentMicros: after,
            limitMicros: def.limitMicros,
            periodStart: window.start,
            periodEnd: window.end,
            at: now,
          });
        }
      }
    }
    return crossings;
  }

  async release(reservationId: string): Promise<void> {
    if (reservationId.startsWith(MEMORY_PREFIX)) {
      await this.options.fallback?.release(reservationId.slice(MEMORY_PREFIX.length));
      return;
    }
    this.local.delete(reservationId);
    await this.options.redis.answer(this.finishScript(reservationId, '0', '1', Date.now()));
  }

  async usage(now: number): Promise<BudgetUsageRow[]> {
    const reserved = new Map<string, bigint>();
    for (const [id, hold] of this.local) {
      if (hold.expiresAt <= now) {
        this.local.delete(id);
        continue;
      }
      for (const budgetId of hold.budgetIds)
        reserved.set(budgetId, (reserved.get(budgetId) ?? 0n) + hold.amount);
    }
    const defs = [...this.budgets.values()];
    if (defs.length === 0) return [];
    const windows = defs.map((def) => this.windowOf(def, now));
    const { redis } = this.options;
    const spent = await redis.answer(
      redis.client.mget(
        defs.map((def, i) => `${baseKey(def.id, (windows[i] as { start: number }).start)}:spent`),
      ),
    );
    return defs.map((def, i) => ({
      budgetId: def.id,
      periodStart: (windows[i] as { start: number }).start,
      spentMicros: BigInt(spent[i] ?? '0'),
      reservedMicros: reserved.get(def.id) ?? 0n,
    }));
  }

  async close(): Promise<void> {}

  /** The period `now` falls in, from the cache while `now` stays inside it. */
  private windowOf(def: BudgetDefinition, now: number): PeriodWindow {
    const cached = this.windows.get(def);
    if (cached !== undefined && now >= cached.start && now < cached.end) return cached;
    const window = periodWindow(def.period, now, def.timeZone);
    this.windows.set(def, window);
    return window;
  }

  private async fallbackReserve(
    budgetIds: readonly string[],
    amountMicros: bigint,
    leaseMs: number,
    now: number,
    reason: string,
  ): Promise<ReserveResult> {
    const { fallback } = this.options;
    if (!fallback) return { kind: 'unavailable', reason };
    const result = await fallback.reserve(budgetIds, amountMicros, leaseMs, now);
    return result.kind === 'reserved'
      ? { kind: 'reserved', reservationId: `${MEMORY_PREFIX}${result.reservationId}` }
      : result;
  }
}

function baseKey(budgetId: string, periodStart: number): string {
  return `sy:bud:${budgetId}:${periodStart}`;
}

function budgetIdOf(base: string): string {
  return base.slice('sy:bud:'.length, base.lastIndexOf(':'));
}

/** When a period's keys may go: its end plus a grace; '0' (never) for a `total` budget. */
function expireAt(periodEnd: number): string {
  return periodEnd >= END_OF_TIME ? '0' : String(periodEnd + KEY_GRACE_MS);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
