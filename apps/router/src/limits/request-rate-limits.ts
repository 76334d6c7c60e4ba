import {
  type ApiKeyRecord,
  type ChatRequest,
  type GatewayError,
  gatewayError,
  type RateLimitDecision,
  type RateLimitSubject,
  rateLimitHeaders,
  type TokenUsage,
} from '@switchyard/core';
import { promptTokenRateEstimate, unaryPromptRateEstimate } from '../billing/prompt-token-rate-estimate';
import type { Logger } from '../logger';
import type { MemoryRateLimitStore } from './memory-rate-limit-store';
import type { RateLimitStore } from './rate-limit-store';

/** What to do when Redis (shared counters) does not answer: enforce per instance, or refuse with 503. */
export type LimitsRedisFailurePolicy = 'open' | 'closed';

/** An admitted request: what it reserved, to correct once its real token count is known. */
export interface RateLimitAdmission {
  ok: true;
  /** `x-ratelimit-*` headers for the response; null when the key has no limits. */
  headers: Record<string, string> | null;
  subjects: readonly RateLimitSubject[];
  /** Tokens taken from the TPM buckets (0 when none applies). */
  reservedTokens: number;
  /** The store that took them (the in-memory fallback when Redis failed open). */
  store: RateLimitStore | null;
}

export type RateLimitResult =
  | RateLimitAdmission
  | { ok: false; error: GatewayError; headers: Record<string, string> | undefined };

/** Output tokens reserved for a request without `max_tokens`; the reservation is corrected after. */
const DEFAULT_OUTPUT_TOKENS = 1_024;

const UNLIMITED: RateLimitAdmission = {
  ok: true,
  headers: null,
  subjects: [],
  reservedTokens: 0,
  store: null,
};

interface KeyLimits {
  /** The subjects with an RPM limit, their rules cut to RPM only (checked before the body is read). */
  requestSubjects: RateLimitSubject[] | null;
  /** The subjects with a TPM limit, their rules cut to TPM only (checked once the prompt is known). */
  tokenSubjects: RateLimitSubject[] | null;
  /** The smallest TPM among the subjects; null when no token limit applies. */
  tightestTpm: number | null;
}

export interface RequestRateLimitsOptions {
  memory: MemoryRateLimitStore;
  /** The shared store when REDIS_URL is set. */
  redis: RateLimitStore | null;
  failurePolicy: LimitsRedisFailurePolicy;
  logger: Logger;
}

/**
 * RPM/TPM enforcement for one request, before it is forwarded: the key's limits and its team's (shared by the
 * team's keys), in two steps. {@link admitRequest} takes one request from the RPM buckets right after the key
 * is authenticated, before the body is read, so a flood from a limited key costs no body reads or parses.
 * {@link admit} then reserves TPM: the prompt estimate plus `max_tokens` (or a default when unset, never more
 * than the tightest TPM when the prompt alone fits), corrected to the real usage when the request settles.
 * A request refused for TPM has still used its RPM slot, as a refused request does at OpenAI. Keys without
 * limits cost one map read and no allocation.
 */
export class RequestRateLimits {
  /** Per snapshot key record: a reloaded snapshot has new records, so limits changes apply at once. */
  private readonly byKey = new WeakMap<ApiKeyRecord, KeyLimits | null>();
  private redisDown = false;

  constructor(private readonly options: RequestRateLimitsOptions) {}

  /**
   * The RPM step, before the body is read: takes one request from each RPM bucket of the key and its team.
   * Synchronous unless the shared Redis store is consulted.
   */
  admitRequest(key: ApiKeyRecord, now: number): RateLimitResult | Promise<RateLimitResult> {
    const limits = this.limitsOf(key);
    if (limits === null || limits.requestSubjects === null) return UNLIMITED;
    return this.acquire(limits.requestSubjects, 0, now);
  }

  /**
   * The TPM step, once the request is parsed: reserves its token estimate. Synchronous unless the shared
   * Redis store is consulted.
   */
  admit(key: ApiKeyRecord, chat: ChatRequest, now: number): RateLimitResult | Promise<RateLimitResult> {
    const limits = this.limitsOf(key);
    if (limits === null || limits.tokenSubjects === null || limits.tightestTpm === null) return UNLIMITED;
    return this.acquire(limits.tokenSubjects, reservation(chat, limits.tightestTpm), now);
  }

  private acquire(
    subjects: RateLimitSubject[],
    tokens: number,
    now: number,
  ): RateLimitResult | Promise<RateLimitResult> {
    const { redis } = this.options;
    if (!redis) {
      const memory = this.options.memory;
      return admission(memory.acquire(subjects, tokens, now), subjects, tokens, memory);
    }
    return (async () => {
      try {
        const decision = await redis.acquire(subjects, tokens, now);
        this.redisBack();
        return admission(decision, subjects, tokens, redis);
      } catch (error) {
        return this.redisFailed(error, subjects, tokens, now);
      }
    })();
  }

  /**
   * Corrects the TPM reservation: to the reported usage, or — without one — keeps it when an upstream served
   * the request (tokens were spent, count unknown) and returns it when none did.
   */
  settle(admission: RateLimitAdmission, usage: TokenUsage | null, served: boolean, now: number): void {
    if (admission.reservedTokens === 0 || !admission.store) return;
    const actual = usage ? usage.inputTokens + usage.outputTokens : served ? admission.reservedTokens : 0;
    const delta = actual - admission.reservedTokens;
    if (delta === 0) return;
    try {
      const done = admission.store.adjustTokens(admission.subjects, delta, now);
      // A lost correction only leaves the reservation standing until the bucket refills.
      if (done instanceof Promise) done.catch(() => {});
    } catch {
      // Same: never let bookkeeping fail a finished request.
    }
  }

  private limitsOf(key: ApiKeyRecord): KeyLimits | null {
    let limits = this.byKey.get(key);
    if (limits === undefined) {
      limits = buildKeyLimits(key);
      this.byKey.set(key, limits);
    }
    return limits;
  }

  private redisFailed(
    error: unknown,
    subjects: RateLimitSubject[],
    tokens: number,
    now: number,
  ): RateLimitResult {
    const policy = this.options.failurePolicy;
    if (!this.redisDown) {
      this.redisDown = true;
      this.options.logger.error(
        policy === 'open'
          ? 'rate limits: redis unavailable; enforcing limits per instance until it is back'
          : 'rate limits: redis unavailable; refusing limited keys with 503 until it is back',
        { policy, error: error instanceof Error ? error.message : String(error) },
      );
    }
    if (policy === 'closed') {
      return {
        ok: false,
        error: gatewayError(
          'usage_unavailable',
          'Rate limits cannot be checked right now (their shared store is unavailable); retry shortly.',
          null,
          1,
        ),
        headers: undefined,
      };
    }
    const memory = this.options.memory;
    return admission(memory.acquire(subjects, tokens, now), subjects, tokens, memory);
  }

  private redisBack(): void {
    if (!this.redisDown) return;
    this.redisDown = false;
    this.options.logger.info('rate limits: redis is back; limits are shared again');
  }
}

function buildKeyLimits(key: ApiKeyRecord): KeyLimits | null {
  const subjects: RateLimitSubject[] = [];
  const add = (scope: 'key' | 'team', id: string | null, rule: ApiKeyRecord['rateLimit'] | null) => {
    if (id === null || !rule || (rule.requestsPerMinute === null && rule.tokensPerMinute === null)) return;
    subjects.push({ scope, id, rule });
  };
  add('key', key.id, key.rateLimit);
  add('team', key.teamId, key.teamRateLimit);
  if (subjects.length === 0) return null;
  let tightestTpm: number | null = null;
  for (const s of subjects) {
    const tpm = s.rule.tokensPerMinute;
    if (tpm !== null && (tightestTpm === null || tpm < tightestTpm)) tightestTpm = tpm;
  }
  // Bucket keys are (scope, id, dimension), so a rule cut to one dimension reaches the same buckets.
  const requestSubjects = subjects
    .filter((s) => s.rule.requestsPerMinute !== null)
    .map((s) => ({ ...s, rule: { requestsPerMinute: s.rule.requestsPerMinute, tokensPerMinute: null } }));
  const tokenSubjects = subjects
    .filter((s) => s.rule.tokensPerMinute !== null)
    .map((s) => ({ ...s, rule: { requestsPerMinute: null, tokensPerMinute: s.rule.tokensPerMinute } }));
  return {
    requestSubjects: requestSubjects.length > 0 ? requestSubjects : null,
    tokenSubjects: tokenSubjects.length > 0 ? tokenSubjects : null,
    tightestTpm,
  };
}

/** Prompt estimate plus the output bound the request set, or a default capped to what the TPM can hold. */
function reservation(chat: ChatRequest, tightestTpm: number): number {
  // A unary family (embeddings, images) counts its inputs or prompt, and reserves no output: embeddings make
  // none, and an image's output tokens (gpt-image) are settled from the report.
  if (chat.unary !== undefined) return unaryPromptRateEstimate(chat.unary);
  const input = promptTokenRateEstimate(chat.body);
  if (chat.maxTokens !== null) return input + chat.maxTokens;
  return Math.min(input + DEFAULT_OUTPUT_TOKENS, Math.max(input, tightestTpm));
}

function admission(
  decision: RateLimitDecision,
  subjects: RateLimitSubject[],
  tokens: number,
  store: RateLimitStore,
): RateLimitResult {
  const headers = rateLimitHeaders(decision);
  if (!decision.allowed) {
    const what = decision.dimension === 'requests' ? 'requests' : 'tokens';
    const message = decision.tooLarge
      ? `This request needs more tokens than the ${decision.subject.scope}'s limit of ${decision.limit} tokens per minute allows.`
      : `Rate limit reached for ${decision.subject.scope} ${decision.subject.id}: ${decision.limit} ${what} per minute. Retry after ${headers['retry-after']} s.`;
    return { ok: false, error: gatewayError('rate_limited', message), headers };
  }
  return { ok: true, headers, subjects, reservedTokens: tokens, store };
}

/** The `x-ratelimit-*` headers of the RPM step and the TPM step together (null when neither has any). */
export function mergeRateLimitHeaders(
  requests: Record<string, string> | null | undefined,
  tokens: Record<string, string> | null | undefined,
): Record<string, string> | null {
  if (!tokens) return requests ?? null;
  if (!requests) return tokens;
  // Object.assign, not `{ ...requests, ...tokens }`: in Node 20 an object spread and then given keys its source
  // lacks survives young GCs (docs/benchmarks.md, "Young-GC pauses"), and this one is built per request.
  return Object.assign({}, requests, tokens);
}
