import type { CircuitState, RouterSettings } from '@switchyard/core';
import { createSmallPool } from './small-pool';

/** One (account, upstream model) as a router instance sees it; times are epoch ms. */
export interface TargetHealthRow {
  accountId: string;
  model: string;
  state: CircuitState;
  consecutiveFailures: number;
  requests: number;
  failures: number;
  /** 0..1 over the breaker's window. */
  failureRate: number;
  openedAt: number | null;
  nextProbeAt: number | null;
  coolingUntil: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  lastErrorClass: string | null;
}

/** Where routers publish what they learn about upstream health; never awaited on the request path. */
export interface HealthStore {
  /**
   * Upserts this instance's rows and the settings it applies (its environment), for the console's readback, in
   * one round trip.
   */
  report(
    instanceId: string,
    rows: readonly TargetHealthRow[],
    now: number,
    settings?: RouterSettings,
  ): Promise<void>;
  /**
   * Marks an account's credential as rejected by its upstream (first rejection wins), unless the credential was
   * reset or replaced since the rejection was seen (`epoch` is the account's credential epoch at the time). The
   * config trigger fires, so every router instance stops using the account on its next snapshot reload.
   */
  markCredentialRejected(accountId: string, epoch: number, message: string, at: number): Promise<boolean>;
  close(): Promise<void>;
}

const REPORT_SQL = `
  INSERT INTO target_health (instance_id, account_id, model, state, consecutive_failures, requests, failures,
    failure_rate, opened_at, next_probe_at, cooling_until, latency_p50_ms, latency_p95_ms, last_error_class, updated_at)
  SELECT $1, t.account_id, t.model, t.state, t.consecutive_failures, t.requests, t.failures, t.failure_rate,
    to_timestamp(t.opened_at / 1000.0), to_timestamp(t.next_probe_at / 1000.0), to_timestamp(t.cooling_until / 1000.0),
    t.latency_p50_ms, t.latency_p95_ms, t.last_error_class, to_timestamp($2::int8 / 1000.0)
  FROM jsonb_to_recordset($3::jsonb) AS t(account_id text, model text, state text, consecutive_failures int4,
    requests int4, failures int4, failure_rate float8, opened_at int8, next_probe_at int8, cooling_until int8,
    latency_p50_ms int4, latency_p95_ms int4, last_error_class text)
  ON CONFLICT (instance_id, account_id, model) DO UPDATE SET state = excluded.state,
    consecutive_failures = excluded.consecutive_failures, requests = excluded.requests,
    failures = excluded.failures, failure_rate = excluded.failure_rate, opened_at = excluded.opened_at,
    next_probe_at = excluded.next_probe_at, cooling_until = excluded.cooling_until,
    latency_p50_ms = excluded.latency_p50_ms, latency_p95_ms = excluded.latency_p95_ms,
    last_error_class = excluded.last_error_class, updated_at = excluded.updated_at`;

// The epoch guard: a 401 seen before an operator's reset must not land after it and undo it.
const MARK_REJECTED_SQL = `
  UPDATE upstream_accounts SET credential_rejected_at = to_timestamp($2::int8 / 1000.0), credential_error = $3
  WHERE id = $1 AND credential_rejected_at IS NULL AND credential_epoch = $4`;

const REPORT_SETTINGS_SQL = `
  INSERT INTO router_instances (instance_id, settings, reported_at) VALUES ($1, $2::jsonb, to_timestamp($3::int8 / 1000.0))
  ON CONFLICT (instance_id) DO UPDATE SET settings = excluded.settings, reported_at = excluded.reported_at`;

/** A health store over one plain `pg` connection. */
export function createHealthStore(
  databaseUrl: string,
  options: { onError?: (error: Error) => void } = {},
): HealthStore {
  const pool = createSmallPool(databaseUrl, { onError: options.onError });
  return {
    async report(instanceId, rows, now, settings) {
      if (settings) await pool.query(REPORT_SETTINGS_SQL, [instanceId, JSON.stringify(settings), now]);
      if (rows.length === 0) return;
      const json = JSON.stringify(
        rows.map((r) => ({
          account_id: r.accountId,
          model: r.model,
          state: r.state,
          consecutive_failures: r.consecutiveFailures,
          requests: r.requests,
          failures: r.failures,
          failure_rate: r.failureRate,
          opened_at: r.openedAt,
          next_probe_at: r.nextProbeAt,
          cooling_until: r.coolingUntil,
          latency_p50_ms: r.latencyP50Ms,
          latency_p95_ms: r.latencyP95Ms,
          last_error_class: r.lastErrorClass,
        })),
      );
      await pool.query(REPORT_SQL, [instanceId, now, json]);
    },
    async markCredentialRejected(accountId, epoch, message, at) {
      const result = await pool.query(MARK_REJECTED_SQL, [accountId, at, message.slice(0, 500), epoch]);
      return (result.rowCount ?? 0) > 0;
    },
    close: () => pool.end(),
  };
}
