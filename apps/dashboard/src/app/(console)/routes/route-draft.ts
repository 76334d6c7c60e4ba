import type {
  BreakerThresholds,
  LadderRungs,
  MissingPricePolicy,
  RoutePolicy,
  RouteTimeouts,
  TrafficClass,
} from '@switchyard/core';
import type { RouteView } from '@/server/routes';

export type Rung = keyof LadderRungs;
export type TimeoutName = keyof RouteTimeouts;

/** The ladder's rungs in ladder order, as the editor labels them. */
export const RUNGS: readonly { name: Rung; label: string }[] = [
  { name: 'retrySameTarget', label: 'Retry same target' },
  { name: 'otherAccount', label: 'Other account' },
  { name: 'otherProvider', label: 'Other provider' },
  { name: 'backupModel', label: 'Backup model' },
  { name: 'waitAndRetry', label: 'Wait and retry' },
];

export const TIMEOUTS: readonly { name: TimeoutName; label: string }[] = [
  { name: 'connectMs', label: 'Connect' },
  { name: 'firstByteMs', label: 'First byte' },
  { name: 'idleMs', label: 'Stream idle' },
  { name: 'totalMs', label: 'Total' },
];

/** A route's breaker thresholds, as the editor labels them; blank inputs follow the routers' BREAKER_* defaults. */
export const BREAKER_FIELDS: readonly { name: keyof BreakerThresholds; label: string; env: string }[] = [
  { name: 'consecutiveFailures', label: 'Failures in a row', env: 'BREAKER_FAILURES' },
  { name: 'failureRateThreshold', label: 'Failure rate (0–1]', env: 'BREAKER_FAILURE_RATE' },
  { name: 'windowMs', label: 'Rate window (ms)', env: 'BREAKER_WINDOW_MS' },
  { name: 'minimumRequests', label: 'Min requests in window', env: 'BREAKER_MIN_REQUESTS' },
  { name: 'coolDownMs', label: 'Cool-down (ms)', env: 'BREAKER_COOLDOWN_MS' },
];

/** What to do when no price covers the served model: each policy explained in the line the editor shows. */
export const MISSING_PRICE_POLICIES: readonly { value: MissingPricePolicy; label: string }[] = [
  { value: 'allow', label: 'Allow: serve the request and flag its usage row unpriced (cost 0)' },
  { value: 'block', label: 'Block: refuse the request (503 price_missing) until a price is added' },
];

/** One class's policy as the form holds it: numbers as typed text, so half-typed values survive re-renders. */
export interface PolicyDraft {
  /** Off: the class uses the default policy, shown read-only. */
  override: boolean;
  rungs: Record<Rung, boolean>;
  maxAttempts: string;
  timeouts: Record<TimeoutName, string>;
}

export interface TargetDraft {
  /** React key; stable across edits, also for targets not saved yet. */
  key: string;
  /** Set for a saved target, so an update changes it in place. */
  id?: string;
  accountId: string;
  upstreamModel: string;
  tier: string;
  weight: string;
  enabled: boolean;
}

export interface RouteDraft {
  publicModel: string;
  /** Comma-separated. */
  aliases: string;
  description: string;
  enabled: boolean;
  /** Comma-separated, in preference order. */
  backupModels: string;
  contextFallbackModel: string;
  targets: TargetDraft[];
  policies: Record<TrafficClass, PolicyDraft>;
  missingPricePolicy: MissingPricePolicy;
  allowCostlierFallback: boolean;
  /** Store request and response bodies of this route's requests (PAYLOAD_RETENTION_DAYS). */
  capturePayloads: boolean;
  /** Typed text per threshold; blank = the routers' default. */
  breaker: Record<keyof BreakerThresholds, string>;
}

export function policyDraft(policy: RoutePolicy, override: boolean): PolicyDraft {
  return {
    override,
    rungs: { ...policy.rungs },
    maxAttempts: String(policy.maxAttempts),
    timeouts: {
      connectMs: String(policy.timeouts.connectMs),
      firstByteMs: String(policy.timeouts.firstByteMs),
      idleMs: String(policy.timeouts.idleMs),
      totalMs: String(policy.timeouts.totalMs),
    },
  };
}

let nextKey = 0;
export function newTargetKey(): string {
  nextKey += 1;
  return `new-${nextKey}`;
}

/**
 * The form's starting state: the saved route, or an empty one with the default policies and the create schema's
 * defaults (kept in step by route-draft.test.ts: this module is in the client bundle, the schema is not).
 */
export function draftFrom(route: RouteView | null, defaults: Record<TrafficClass, RoutePolicy>): RouteDraft {
  const classes = Object.keys(defaults) as TrafficClass[];
  return {
    publicModel: route?.publicModel ?? '',
    aliases: route?.aliases.join(', ') ?? '',
    description: route?.description ?? '',
    enabled: route?.enabled ?? true,
    backupModels: route?.backupModels.join(', ') ?? '',
    contextFallbackModel: route?.contextFallbackModel ?? '',
    targets:
      route?.targets.map((target) => ({
        key: target.id,
        id: target.id,
        accountId: target.accountId,
        upstreamModel: target.upstreamModel,
        tier: String(target.tier),
        weight: String(target.weight),
        enabled: target.enabled,
      })) ?? [],
    policies: Object.fromEntries(
      classes.map((trafficClass) => {
        const override = route?.policies[trafficClass];
        return [trafficClass, policyDraft(override ?? defaults[trafficClass], override !== undefined)];
      }),
    ) as Record<TrafficClass, PolicyDraft>,
    missingPricePolicy: route?.missingPricePolicy ?? 'allow',
    allowCostlierFallback: route?.allowCostlierFallback ?? true,
    capturePayloads: route?.capturePayloads ?? false,
    breaker: Object.fromEntries(
      BREAKER_FIELDS.map(({ name }) => {
        const value = route?.breaker[name];
        return [name, value === null || value === undefined ? '' : String(value)];
      }),
    ) as Record<keyof BreakerThresholds, string>,
  };
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * Typed text → number. Blank and non-numbers become null, which the schema rejects naming the field, so the
 * error appears next to the input rather than being guessed at here.
 */
function numberOrNull(text: string): number | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** The admin API body for the draft (create and update take the same fields). */
export function bodyFrom(draft: RouteDraft) {
  return {
    publicModel: draft.publicModel.trim(),
    aliases: list(draft.aliases),
    description: draft.description.trim() === '' ? null : draft.description.trim(),
    enabled: draft.enabled,
    backupModels: list(draft.backupModels),
    contextFallbackModel: draft.contextFallbackModel.trim() === '' ? null : draft.contextFallbackModel.trim(),
    targets: draft.targets.map((target) => ({
      ...(target.id === undefined ? {} : { id: target.id }),
      accountId: target.accountId,
      upstreamModel: target.upstreamModel.trim(),
      tier: numberOrNull(target.tier),
      weight: numberOrNull(target.weight),
      enabled: target.enabled,
    })),
    policies: Object.fromEntries(
      Object.entries(draft.policies).map(([trafficClass, policy]) => [
        trafficClass,
        policy.override
          ? {
              rungs: policy.rungs,
              maxAttempts: numberOrNull(policy.maxAttempts),
              timeouts: Object.fromEntries(
                Object.entries(policy.timeouts).map(([name, text]) => [name, numberOrNull(text)]),
              ),
            }
          : null,
      ]),
    ),
    missingPricePolicy: draft.missingPricePolicy,
    allowCostlierFallback: draft.allowCostlierFallback,
    capturePayloads: draft.capturePayloads,
    // Blank: the default (null). Anything else goes as a number; text that is none (NaN) is refused by the
    // schema naming the field.
    breaker: Object.fromEntries(
      Object.entries(draft.breaker).map(([name, text]) => [name, text.trim() === '' ? null : Number(text)]),
    ),
  };
}
