import {
  decideRateLimit,
  RATE_LIMIT_SCALE,
  type RateLimitDecision,
  type RateLimitSubject,
  rateLimitChecks,
} from '@switchyard/core';
import type { RedisConnection } from '../redis/redis-client';
import type { RateLimitStore } from './rate-limit-store';

/**
 * Refill one bucket to the server's clock, the way core's RateLimiter does: levels in unit·ms, refill at
 * `capacity` per ms up to capacity·60 000, a changed limit keeps what was used. Lua numbers are doubles:
 * exact for every level core allows (≤ 10^11 × 60 000 < 2^53).
 */
const REFILL_LUA = `
local M = ${RATE_LIMIT_SCALE}
local function refill(key, cap, now)
  local h = redis.call('HMGET', key, 'l', 'a', 'c')
  local level, at, c = tonumber(h[1]), tonumber(h[2]), tonumber(h[3])
  if level == nil or at == nil or c == nil then return cap * M end
  if now > at then
    local toFull = math.ceil((c * M - level) / c)
    if now - at >= toFull then level = c * M else level = level + (now - at) * c end
  end
  if c ~= cap then level = math.min(cap * M, level + (cap - c) * M) end
  return level
end
local function store(key, cap, level, now)
  redis.call('HSET', key, 'l', level, 'a', now, 'c', cap)
  -- A full bucket equals a missing one: let Redis forget it a little after it refills.
  redis.call('PEXPIRE', key, math.max(0, math.ceil((cap * M - level) / cap)) + 1000)
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: bucket keys. ARGV: per key, limit then cost. All or nothing: consumes only when every bucket holds its
 * cost. Returns the levels before consumption (what core's decision reads), then 1/0 for consumed.
 */
const ACQUIRE_LUA = `${REFILL_LUA}
local levels = {}
local fits = 1
for i = 1, #KEYS do
  local cap, cost = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  levels[i] = refill(KEYS[i], cap, now)
  if levels[i] < cost * M then fits = 0 end
end
for i = 1, #KEYS do
  local cap, cost = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local level = levels[i]
  if fits == 1 then level = level - cost * M end
  store(KEYS[i], cap, level, now)
end
levels[#KEYS + 1] = fits
return levels
`;

/** KEYS: token bucket keys. ARGV: per key, limit then delta (actual − estimate; may be negative). */
const ADJUST_LUA = `${REFILL_LUA}
for i = 1, #KEYS do
  local cap, delta = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local level = math.min(cap * M, refill(KEYS[i], cap, now) - delta * M)
  store(KEYS[i], cap, level, now)
end
return 1
`;

type ScriptRunner = (numKeys: number, ...args: (string | number)[]) => Promise<unknown>;

/**
 * RPM/TPM buckets in Redis, shared by every router instance: one atomic script per request refills, checks
 * and consumes all of its buckets (so concurrent routers cannot both take the last unit), on Redis's clock
 * (so instances with skewed clocks agree). The decision itself is core's `decideRateLimit` over the levels the
 * script returns, so headers and retry times match the in-memory limiter exactly. Rejects when Redis does not
 * answer; the caller applies LIMITS_REDIS_FAILURE_POLICY.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly acquireScript: ScriptRunner;
  private readonly adjustScript: ScriptRunner;

  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'switchyard:rl:',
  ) {
    const client = redis.client;
    client.defineCommand('switchyardRateLimitAcquire', { lua: ACQUIRE_LUA });
    client.defineCommand('switchyardRateLimitAdjust', { lua: ADJUST_LUA });
    const commands = client as unknown as Record<string, ScriptRunner>;
    this.acquireScript = (commands.switchyardRateLimitAcquire as ScriptRunner).bind(client);
    this.adjustScript = (commands.switchyardRateLimitAdjust as ScriptRunner).bind(client);
  }

  async acquire(subjects: readonly RateLimitSubject[], tokens: number): Promise<RateLimitDecision> {
    // Down: fail at once (the failure policy decides) rather than wait for a command timeout.
    if (!this.redis.isUp()) throw new Error('redis is not connected');
    const checks = rateLimitChecks(subjects, tokens);
    const args: (string | number)[] = [];
    for (const check of checks) args.push(this.key(check.subject, check.dimension));
    for (const check of checks) args.push(check.limit, check.cost);
    const reply = (await this.redis.answer(this.acquireScript(checks.length, ...args))) as number[];
    return decideRateLimit(
      checks,
      checks.map((_, i) => Number(reply[i])),
    );
  }

  async adjustTokens(subjects: readonly RateLimitSubject[], delta: number): Promise<void> {
    const keys: string[] = [];
    const args: number[] = [];
    for (const check of rateLimitChecks(subjects, 0)) {
      if (check.dimension !== 'tokens') continue;
      keys.push(this.key(check.subject, 'tokens'));
      args.push(check.limit, delta);
    }
    if (keys.length > 0 && this.redis.isUp())
      await this.redis.answer(this.adjustScript(keys.length, ...keys, ...args));
  }

  private key(subject: RateLimitSubject, dimension: string): string {
    return `${this.prefix}${subject.scope}:${subject.id}:${dimension}`;
  }
}
