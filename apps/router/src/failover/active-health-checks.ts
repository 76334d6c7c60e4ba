import {
  classifyUpstreamStatus,
  effectiveHealthCheck,
  type ResolvedTarget,
  type RoutingTable,
  type UpstreamAccountRecord,
} from '@switchyard/core';
import { type Dispatcher, request } from 'undici';
import type { Logger } from '../logger';
import { adapterFor } from '../providers/provider-registry';
import type { MarkedAccount, UpstreamHealth } from './upstream-health';

export interface ActiveHealthCheckOptions {
  /** HEALTH_CHECK_INTERVAL_MS: the interval of accounts that set none; 0 = accounts are unchecked unless they opt in. */
  defaultIntervalMs: number;
  /** Per check: connect + answer. */
  timeoutMs: number;
  table: () => RoutingTable | null;
  health: UpstreamHealth;
  dispatcher: Dispatcher;
  onCredentialRejected: (account: MarkedAccount, message: string) => void;
  logger: Logger;
}

export interface ActiveHealthChecks {
  /** Schedules each account as the new snapshot says (on/off, interval); call on every snapshot load. */
  sync(accounts: readonly UpstreamAccountRecord[]): void;
  stop(): Promise<void>;
}

interface Schedule {
  intervalMs: number;
  timer: NodeJS.Timeout;
  running: Promise<void> | null;
}

/**
 * Active health checks, per upstream account: on (the account's setting, else on when HEALTH_CHECK_INTERVAL_MS
 * is above 0) at the account's interval (else the environment's), one cheap authenticated request to the
 * account while it serves a route (the adapter's health check, e.g. GET /models). A failure (5xx, no
 * connection, timeout) counts against the breakers of that account's models, so a dead account is found before
 * a client request pays for it; a 401/403 marks the credential like live traffic does; a success admits itself
 * as the probe of a breaker that is due one, so a recovered upstream closes its breakers without risking a real
 * request.
 */
export function startActiveHealthChecks(options: ActiveHealthCheckOptions): ActiveHealthChecks {
  const { health, logger } = options;
  const schedules = new Map<string, Schedule>();
  let stopped = false;

  const run = (accountId: string, schedule: Schedule) => {
    if (schedule.running || stopped) return;
    const table = options.table();
    const targets = table ? accountsInUse(table).get(accountId) : undefined;
    if (!targets) return;
    schedule.running = check(targets)
      .catch((error: unknown) =>
        logger.warn('active health check failed', {
          accountId,
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        schedule.running = null;
      });
  };

  const check = async (targets: ResolvedTarget[]) => {
    const { account, provider } = targets[0] as ResolvedTarget;
    const adapter = adapterFor(provider.kind);
    if (!adapter || health.isCredentialRejected(account.id)) return;
    const call = adapter.buildHealthCheck({ baseUrl: provider.baseUrl, credential: account.credential });
    const started = performance.now();
    let status: number | null = null;
    try {
      const response = await request(call.url, {
        method: 'GET',
        headers: call.headers,
        dispatcher: options.dispatcher,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      status = response.statusCode;
      await response.body.dump();
    } catch {
      status = null;
    }
    const now = Date.now();
    const ok = status !== null && status >= 200 && status < 300;
    const errorClass = ok
      ? null
      : status === null
        ? 'connect_error'
        : classifyUpstreamStatus(status).errorClass;
    for (const { target } of targets) {
      const model = target.upstreamModel;
      health.recordAttempt(account.id, model, status !== null, performance.now() - started, errorClass);
      if (ok) {
        const breaker = health.breakers.peek(account.id, model);
        if (breaker && breaker.state(now) !== 'closed' && breaker.tryAcquire(now)) breaker.onSuccess(now);
      } else if (
        errorClass === 'server_error' ||
        errorClass === 'connect_error' ||
        errorClass === 'timeout'
      ) {
        health.breakers.get(account.id, model).onFailure(now);
      }
    }
    if (errorClass === 'upstream_auth' && health.markCredentialRejected(account, now)) {
      options.onCredentialRejected(account, `health check answered ${status}`);
    }
  };

  return {
    sync(accounts) {
      if (stopped) return;
      const wanted = new Map<string, number>();
      for (const account of accounts) {
        const effective = effectiveHealthCheck(account.healthCheck, options.defaultIntervalMs);
        if (account.enabled && effective.enabled.value) wanted.set(account.id, effective.intervalMs.value);
      }
      for (const [accountId, schedule] of schedules) {
        if (wanted.get(accountId) === schedule.intervalMs) continue;
        clearInterval(schedule.timer);
        schedules.delete(accountId);
      }
      for (const [accountId, intervalMs] of wanted) {
        if (schedules.has(accountId)) continue;
        const schedule: Schedule = {
          intervalMs,
          timer: setInterval(() => run(accountId, schedule), intervalMs),
          running: null,
        };
        schedule.timer.unref();
        schedules.set(accountId, schedule);
      }
    },
    async stop() {
      stopped = true;
      for (const schedule of schedules.values()) clearInterval(schedule.timer);
      await Promise.all([...schedules.values()].map((schedule) => schedule.running));
      schedules.clear();
    },
  };
}

/** Enabled targets of every enabled route, grouped by account (one check per account, not per target). */
function accountsInUse(table: RoutingTable): Map<string, ResolvedTarget[]> {
  const byAccount = new Map<string, ResolvedTarget[]>();
  const seen = new Set<string>();
  for (const model of table.models()) {
    const route = table.route(model);
    if (!route) continue;
    for (const tier of route.tiers) {
      for (const resolved of tier) {
        const key = `${resolved.account.id}\u0000${resolved.target.upstreamModel}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const list = byAccount.get(resolved.account.id);
        if (list) list.push(resolved);
        else byAccount.set(resolved.account.id, [resolved]);
      }
    }
  }
  return byAccount;
}
