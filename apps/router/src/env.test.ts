import { DEFAULT_ROUTER_SETTINGS } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { loadRouterEnv, routerSettings } from './env';

const required = { DATABASE_URL: 'postgresql://localhost/db', SWITCHYARD_MASTER_KEY: 'k' };

describe('router configuration', () => {
  it('defaults the failover, billing and limits settings', () => {
    const env = loadRouterEnv(required);
    expect(env.LIMITS_REDIS_FAILURE_POLICY).toBe('closed');
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.USAGE_RETENTION_DAYS).toBe(30);
    expect(env.BREAKER_FAILURES).toBe(5);
    expect(env.BREAKER_FAILURE_RATE).toBe(0.5);
    expect(env.BUDGET_DEFAULT_MAX_OUTPUT_TOKENS).toBe(4_096);
    expect(env.BUDGET_RESERVATION_LEASE_MS).toBeUndefined();
    expect(env.BUDGET_WEBHOOK_RETRY_MS).toEqual([1_000, 5_000, 30_000, 120_000, 600_000]);
    expect(env.BUDGET_WEBHOOK_MAX_ATTEMPTS).toBe(148);
    expect(env.BUDGET_WEBHOOK_POLL_MS).toBe(5_000);
    expect(env.SNAPSHOT_REFRESH_MS).toBe(30_000);
    expect(env.SNAPSHOT_FULL_REFRESH_MS).toBe(600_000);
  });

  it('logs JSON at info unless told otherwise, and names a bad LOG_LEVEL or LOG_FORMAT', () => {
    const env = loadRouterEnv(required);
    expect([env.LOG_LEVEL, env.LOG_FORMAT]).toEqual(['info', 'json']);
    expect(loadRouterEnv({ ...required, LOG_LEVEL: 'debug', LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe(
      'pretty',
    );
    expect(() => loadRouterEnv({ ...required, LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
    expect(() => loadRouterEnv({ ...required, LOG_LEVEL: 'verbose' })).toThrow(/LOG_LEVEL/);
  });

  it('defaults the caps on what the router reads and how long it waits for clients', () => {
    const env = loadRouterEnv(required);
    expect(env.UPSTREAM_MAX_RESPONSE_BYTES).toBe(32 * 1024 * 1024);
    expect(env.UPSTREAM_MAX_SSE_EVENT_BYTES).toBe(1024 * 1024);
    expect(env.ROUTER_HEADERS_TIMEOUT_MS).toBe(20_000);
    expect(env.ROUTER_REQUEST_TIMEOUT_MS).toBe(120_000);
    expect(env.ROUTER_BODY_IDLE_TIMEOUT_MS).toBe(10_000);
    expect(env.ROUTER_MAX_CONNECTIONS).toBe(4_096);
  });

  it('serves /metrics on the router port without a token unless told otherwise; blank means unset', () => {
    const plain = loadRouterEnv(required);
    expect([plain.ROUTER_METRICS_PORT, plain.ROUTER_METRICS_HOST, plain.ROUTER_METRICS_TOKEN]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const blank = loadRouterEnv({
      ...required,
      ROUTER_METRICS_PORT: '',
      ROUTER_METRICS_HOST: '',
      ROUTER_METRICS_TOKEN: '',
    });
    expect([blank.ROUTER_METRICS_PORT, blank.ROUTER_METRICS_HOST, blank.ROUTER_METRICS_TOKEN]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    const own = loadRouterEnv({
      ...required,
      ROUTER_METRICS_PORT: '9464',
      ROUTER_METRICS_HOST: '127.0.0.1',
      ROUTER_METRICS_TOKEN: 'a-long-enough-token',
    });
    expect([own.ROUTER_METRICS_PORT, own.ROUTER_METRICS_HOST, own.ROUTER_METRICS_TOKEN]).toEqual([
      9464,
      '127.0.0.1',
      'a-long-enough-token',
    ]);
    expect(() => loadRouterEnv({ ...required, ROUTER_METRICS_TOKEN: 'short' })).toThrow(
      'ROUTER_METRICS_TOKEN: must be at least 16 characters',
    );
    expect(() => loadRouterEnv({ ...required, ROUTER_METRICS_PORT: '70000' })).toThrow('ROUTER_METRICS_PORT');
  });

  it('traces nothing unless an OTLP endpoint is set; blank means unset; a bad URL is refused', () => {
    const plain = loadRouterEnv(required);
    expect([
      plain.OTEL_EXPORTER_OTLP_ENDPOINT,
      plain.OTEL_SERVICE_NAME,
      plain.OTEL_BSP_SCHEDULE_DELAY,
    ]).toEqual([undefined, 'switchyard-router', 5_000]);
    expect(loadRouterEnv({ ...required, OTEL_EXPORTER_OTLP_ENDPOINT: '' }).OTEL_EXPORTER_OTLP_ENDPOINT).toBe(
      undefined,
    );
    const on = loadRouterEnv({ ...required, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318' });
    expect(on.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://otel-collector:4318');
    expect(() =>
      loadRouterEnv({ ...required, OTEL_EXPORTER_OTLP_ENDPOINT: 'otel-collector:4318/x y' }),
    ).toThrow('OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s):// URL');
  });

  it('refuses a headers timeout longer than the request timeout, and zero caps', () => {
    expect(() =>
      loadRouterEnv({ ...required, ROUTER_HEADERS_TIMEOUT_MS: '5000', ROUTER_REQUEST_TIMEOUT_MS: '1000' }),
    ).toThrow('ROUTER_HEADERS_TIMEOUT_MS: must not exceed ROUTER_REQUEST_TIMEOUT_MS');
    for (const name of [
      'UPSTREAM_MAX_RESPONSE_BYTES',
      'UPSTREAM_MAX_SSE_EVENT_BYTES',
      'ROUTER_BODY_IDLE_TIMEOUT_MS',
      'ROUTER_MAX_CONNECTIONS',
    ]) {
      expect(() => loadRouterEnv({ ...required, [name]: '0' })).toThrow(name);
    }
  });

  it('reads the webhook retry delays as a list of milliseconds', () => {
    expect(
      loadRouterEnv({ ...required, BUDGET_WEBHOOK_RETRY_MS: '50, 200' }).BUDGET_WEBHOOK_RETRY_MS,
    ).toEqual([50, 200]);
  });

  it('refuses bad values at start-up, naming every bad variable', () => {
    const load = () =>
      loadRouterEnv({
        ...required,
        LIMITS_REDIS_FAILURE_POLICY: 'sometimes',
        REDIS_URL: 'not a url',
        USAGE_RETENTION_DAYS: '-1',
        BREAKER_FAILURE_RATE: '1.5',
        BUDGET_RESERVATION_LEASE_MS: '0',
        BUDGET_WEBHOOK_RETRY_MS: '1000,soon',
        SNAPSHOT_FULL_REFRESH_MS: '0',
      });
    expect(load).toThrow(/Invalid router configuration/);
    const message = (() => {
      try {
        load();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of [
      'LIMITS_REDIS_FAILURE_POLICY',
      'REDIS_URL: must be a redis:// URL',
      'USAGE_RETENTION_DAYS',
      'BREAKER_FAILURE_RATE',
      'BUDGET_RESERVATION_LEASE_MS',
      'BUDGET_WEBHOOK_RETRY_MS: must be comma-separated positive whole milliseconds',
      'SNAPSHOT_FULL_REFRESH_MS',
    ]) {
      expect(message).toContain(name);
    }
  });

  it('defaults panic routing to a 10% success floor and refuses a rate outside 0–1', () => {
    expect(loadRouterEnv(required).BREAKER_PANIC_MIN_SUCCESS_RATE).toBe(0.1);
    expect(
      loadRouterEnv({ ...required, BREAKER_PANIC_MIN_SUCCESS_RATE: '1' }).BREAKER_PANIC_MIN_SUCCESS_RATE,
    ).toBe(1);
    expect(() => loadRouterEnv({ ...required, BREAKER_PANIC_MIN_SUCCESS_RATE: '1.2' })).toThrow(
      /BREAKER_PANIC_MIN_SUCCESS_RATE/,
    );
    expect(() => loadRouterEnv({ ...required, BREAKER_PANIC_MIN_SUCCESS_RATE: '-0.1' })).toThrow(
      /BREAKER_PANIC_MIN_SUCCESS_RATE/,
    );
  });

  it('journals usage by default, can turn it off, and refuses a journal segment too small to hold a batch', () => {
    const env = loadRouterEnv(required);
    expect(env.USAGE_JOURNAL).toBe('on');
    expect(env.USAGE_JOURNAL_SEGMENT_BYTES).toBe(4 * 1024 * 1024);
    expect(loadRouterEnv({ ...required, USAGE_JOURNAL: 'off' }).USAGE_JOURNAL).toBe('off');
    expect(() => loadRouterEnv({ ...required, USAGE_JOURNAL: 'sometimes' })).toThrow(/USAGE_JOURNAL/);
    expect(() => loadRouterEnv({ ...required, USAGE_JOURNAL_SEGMENT_BYTES: '100' })).toThrow(
      /USAGE_JOURNAL_SEGMENT_BYTES/,
    );
  });
});

describe('the settings a router publishes for the readback', () => {
  it('are, by default, the defaults the console assumes while no router reports', () => {
    expect(routerSettings(loadRouterEnv(required))).toEqual(DEFAULT_ROUTER_SETTINGS);
  });

  it('carry the environment it runs with', () => {
    const settings = routerSettings(
      loadRouterEnv({
        ...required,
        ROUTER_MAX_ATTEMPTS: '2',
        BREAKER_FAILURES: '9',
        HEALTH_CHECK_INTERVAL_MS: '750',
      }),
    );
    expect([
      settings.maxAttempts,
      settings.breaker.consecutiveFailures,
      settings.healthCheck.intervalMs,
    ]).toEqual([2, 9, 750]);
  });
});

describe('ROUTER_WORKERS', () => {
  it('runs one process by default', () => {
    const env = loadRouterEnv(required);
    expect([env.ROUTER_WORKERS, env.ROUTER_WORKER_SLOT]).toEqual([1, undefined]);
  });

  it('refuses more than one worker without REDIS_URL, naming both settings', () => {
    expect(() => loadRouterEnv({ ...required, ROUTER_WORKERS: '2' })).toThrow(
      /ROUTER_WORKERS: more than one worker needs REDIS_URL/,
    );
    // A blank REDIS_URL (compose's `${REDIS_URL:-}`) is unset, not a URL.
    expect(() => loadRouterEnv({ ...required, ROUTER_WORKERS: '2', REDIS_URL: '' })).toThrow(
      /needs REDIS_URL/,
    );
    const env = loadRouterEnv({ ...required, ROUTER_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect(env.ROUTER_WORKERS).toBe(2);
  });

  it('takes a whole number from 1 to 64', () => {
    for (const bad of ['0', '-1', '1.5', 'two', '65']) {
      expect(() =>
        loadRouterEnv({ ...required, ROUTER_WORKERS: bad, REDIS_URL: 'redis://127.0.0.1:6379' }),
      ).toThrow(/ROUTER_WORKERS/);
    }
  });
});
