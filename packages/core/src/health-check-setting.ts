import type { SettingSource } from './breaker-thresholds';

/** An account's active health check as stored; a null field follows the router's environment. */
export interface HealthCheckSetting {
  enabled: boolean | null;
  intervalMs: number | null;
}

/**
 * The interval an account switched on by hand is checked at when neither it nor the environment names one
 * (HEALTH_CHECK_INTERVAL_MS=0 means "off by default", not "check continuously").
 */
export const FALLBACK_HEALTH_CHECK_INTERVAL_MS = 30_000;

export interface EffectiveHealthCheck {
  enabled: { value: boolean; source: SettingSource };
  intervalMs: { value: number; source: SettingSource };
}

/**
 * What the router does for one account: checks on when the account says so, else when the environment's
 * interval is above 0; at the account's interval, else the environment's, else 30 s.
 */
export function effectiveHealthCheck(
  setting: HealthCheckSetting | undefined,
  defaultIntervalMs: number,
): EffectiveHealthCheck {
  const enabled = setting?.enabled ?? null;
  const interval = setting?.intervalMs ?? null;
  return {
    enabled:
      enabled === null
        ? { value: defaultIntervalMs > 0, source: 'router_default' }
        : { value: enabled, source: 'account' },
    intervalMs:
      interval === null
        ? {
            value: defaultIntervalMs > 0 ? defaultIntervalMs : FALLBACK_HEALTH_CHECK_INTERVAL_MS,
            source: 'router_default',
          }
        : { value: interval, source: 'account' },
  };
}
