import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { find, parsePrometheusText, type Scrape, value } from './prometheus-text';
import {
  apiError,
  SEEDED_MODEL,
  type Stack,
  setMockFaults,
  startStack,
  UPSTREAM_MODEL,
  waitFor,
} from './stack';

const TOKEN = 'metrics-token-for-tests-0123456789';
const BROKEN_MODEL = 'chat-broken';
const BROKEN_UPSTREAM = 'mock-broken-model';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ ROUTER_METRICS_TOKEN: TOKEN });
});
afterAll(async () => {
  await stack?.stop();
});

async function scrape(url = `${stack.routerUrl}/metrics`): Promise<Scrape> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
  return parsePrometheusText(await res.text());
}

describe('GET /metrics after chat traffic', () => {
  let metrics: Scrape;
  let brokenStatus: number;

  beforeAll(async () => {
    await stack.addRoute({
      publicModel: BROKEN_MODEL,
      targets: [{ accountId: stack.accountId, upstreamModel: BROKEN_UPSTREAM }],
    });
    await setMockFaults(stack, { byModel: { [BROKEN_UPSTREAM]: { status: 503 } } });
    const client = stack.client();
    for (let i = 0; i < 3; i++) {
      const answer = await client.chat.completions.create({
        model: SEEDED_MODEL,
        messages: [{ role: 'user', content: `hello ${i}` }],
      });
      expect(answer.choices[0]?.message.content).toBeTruthy();
    }
    const streamed = await client.chat.completions.create({
      model: SEEDED_MODEL,
      stream: true,
      messages: [{ role: 'user', content: 'stream please' }],
    });
    for await (const _chunk of streamed) {
      // drain
    }
    const unknown = await apiError(
      client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    );
    expect(unknown.status).toBe(404);
    const broken = await apiError(
      client.chat.completions.create({ model: BROKEN_MODEL, messages: [{ role: 'user', content: 'hi' }] }),
    );
    brokenStatus = broken.status ?? 0;
    expect(brokenStatus).toBeGreaterThanOrEqual(500);
    // Counters are incremented as requests settle, which may trail the answer by a tick.
    metrics = await waitFor('six requests counted', async () => {
      const s = await scrape();
      const total = find(s, 'switchyard_requests_total').reduce((sum, x) => sum + x.value, 0);
      return total >= 6 ? s : null;
    });
  });

  it('counts requests by family, surface, status, outcome, traffic class and public model', () => {
    const base = { route: 'chat', surface: 'openai-chat' };
    expect(metrics.types.get('switchyard_requests_total')).toBe('counter');
    expect(
      value(metrics, 'switchyard_requests_total', {
        ...base,
        status: '200',
        outcome: 'success',
        traffic_class: 'interactive',
        model: SEEDED_MODEL,
      }),
    ).toBe(4);
    // Refused before a route is known: no traffic class and no model label, so a client's string never lands here.
    expect(
      value(metrics, 'switchyard_requests_total', {
        ...base,
        status: '404',
        outcome: 'rejected',
        traffic_class: '',
        model: '',
      }),
    ).toBe(1);
    expect(
      value(metrics, 'switchyard_requests_total', {
        ...base,
        status: String(brokenStatus),
        outcome: 'error',
        traffic_class: 'interactive',
        model: BROKEN_MODEL,
      }),
    ).toBe(1);
    expect(find(metrics, 'switchyard_requests_total', { model: 'no-such-model' })).toEqual([]);
    expect(find(metrics, 'switchyard_requests_total')).toHaveLength(3);
  });

  it('has latency and TTFB histograms with cumulative buckets, a sum and a count', () => {
    expect(metrics.types.get('switchyard_request_duration_seconds')).toBe('histogram');
    const labels = { route: 'chat', surface: 'openai-chat', outcome: 'success' };
    const buckets = find(metrics, 'switchyard_request_duration_seconds_bucket', labels);
    expect(buckets.length).toBeGreaterThan(5);
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    expect(buckets.at(-1)?.value).toBe(4);
    expect(value(metrics, 'switchyard_request_duration_seconds_count', labels)).toBe(4);
    const sum = value(metrics, 'switchyard_request_duration_seconds_sum', labels);
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60);
    expect(metrics.types.get('switchyard_time_to_first_byte_seconds')).toBe('histogram');
    const ttfb = value(metrics, 'switchyard_time_to_first_byte_seconds_count', {
      route: 'chat',
      surface: 'openai-chat',
    });
    expect(ttfb).toBeGreaterThanOrEqual(1);
    expect(ttfb).toBeLessThanOrEqual(5);
  });

  it('counts upstream attempts and failures by provider, account and error class', () => {
    const target = { provider: stack.providerId, account: stack.accountId };
    const failures = value(metrics, 'switchyard_upstream_failures_total', {
      ...target,
      error_class: 'server_error',
    });
    expect(failures).toBeGreaterThanOrEqual(1);
    expect(find(metrics, 'switchyard_upstream_failures_total')).toHaveLength(1);
    // Four answered requests plus every attempt at the broken target; the refused one never went upstream.
    expect(value(metrics, 'switchyard_upstream_attempts_total', target)).toBe(4 + failures);
  });

  it('reports breaker states, gauges and the configuration snapshot', async () => {
    expect(
      value(metrics, 'switchyard_breaker_state', { account: stack.accountId, model: UPSTREAM_MODEL }),
    ).toBe(0);
    expect([0, 1, 2]).toContain(
      value(metrics, 'switchyard_breaker_state', { account: stack.accountId, model: BROKEN_UPSTREAM }),
    );
    expect(value(metrics, 'switchyard_inflight_requests')).toBe(0);
    expect(value(metrics, 'switchyard_retry_budget_in_use')).toBe(0);
    expect(value(metrics, 'switchyard_retry_budget_limit')).toBe(3);
    expect(value(metrics, 'switchyard_usage_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(value(metrics, 'switchyard_usage_spill_bytes')).toBe(0);
    expect(value(metrics, 'switchyard_usage_spilled_events')).toBe(0);
    expect(value(metrics, 'switchyard_usage_dead_letters_total')).toBe(0);
    const age = value(metrics, 'switchyard_config_snapshot_age_seconds');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
    const version = value(metrics, 'switchyard_config_version');
    expect(Number.isInteger(version) && version > 0).toBe(true);
    expect(metrics.types.get('switchyard_budget_reserved_micros')).toBe('gauge');
    expect(value(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('exports every metric the docs table and the Grafana dashboard name', async () => {
    const families = (text: string) => new Set(text.match(/switchyard_[a-z_]+/g) ?? []);
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    const exported = new Set(metrics.types.keys());
    const docs = families(await readFile(new URL('../../../docs/observability.md', import.meta.url), 'utf8'));
    const dashboard = families(
      await readFile(new URL('../../../docs/grafana-switchyard.json', import.meta.url), 'utf8'),
    );
    expect(dashboard.size).toBeGreaterThan(5);
    for (const name of [...docs, ...dashboard]) expect(exported, name).toContain(base(name));
    // …and the docs name every family the router exports.
    for (const name of exported) if (name.startsWith('switchyard_')) expect(docs, name).toContain(name);
  });
});

describe('a separate metrics port', () => {
  it('serves /metrics on ROUTER_METRICS_PORT only, still behind the token', async () => {
    await stack.restartRouter({ ROUTER_METRICS_PORT: '0', ROUTER_METRICS_TOKEN: TOKEN });
    const scrapeUrl = stack.router.output().match(/"scrapeUrl":"(http:\/\/[^"]+)"/)?.[1];
    expect(scrapeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const onRouterPort = await fetch(`${stack.routerUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(onRouterPort.status).toBe(404);
    expect((await fetch(scrapeUrl as string)).status).toBe(401);
    const s = await scrape(scrapeUrl);
    expect(s.types.get('switchyard_requests_total')).toBe('counter');
    expect(value(s, 'switchyard_inflight_requests')).toBe(0);
  });
});
