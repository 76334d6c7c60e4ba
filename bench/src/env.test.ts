import { describe, expect, it } from 'vitest';
import { loadBenchEnv } from './env';

describe('bench options: layouts and the young-generation table', () => {
  it('runs in the default layout (nothing pinned) with no young-generation table unless asked', () => {
    const env = loadBenchEnv({});
    expect([env.BENCH_LAYOUTS, env.BENCH_SEMI_SPACES]).toEqual([['default'], []]);
  });

  it('takes further layouts and semi-space sizes in the order given', () => {
    const env = loadBenchEnv({
      BENCH_LAYOUTS: 'default, client-alone,router-alone',
      BENCH_SEMI_SPACES: '1,4,16,64',
    });
    expect([env.BENCH_LAYOUTS, env.BENCH_SEMI_SPACES]).toEqual([
      ['default', 'client-alone', 'router-alone'],
      [1, 4, 16, 64],
    ]);
  });

  it('refuses an unknown or repeated layout and a size that is not a positive integer, naming the option', () => {
    for (const BENCH_LAYOUTS of ['auto', 'default,default', 'off']) {
      expect(() => loadBenchEnv({ BENCH_LAYOUTS })).toThrow(/BENCH_LAYOUTS: expected distinct layouts/);
    }
    for (const BENCH_SEMI_SPACES of ['0', '4,x', '1.5', '-2']) {
      expect(() => loadBenchEnv({ BENCH_SEMI_SPACES })).toThrow(/BENCH_SEMI_SPACES: expected MiB/);
    }
  });
});

describe('bench options: the router with or without Redis', () => {
  it('runs the router without Redis by default, even when REDIS_URL is set (the workers part still uses it)', () => {
    const env = loadBenchEnv({ REDIS_URL: 'redis://127.0.0.1:6379' });
    expect([env.BENCH_REDIS, env.REDIS_URL]).toEqual(['off', 'redis://127.0.0.1:6379']);
  });

  it('gives the router Redis with BENCH_REDIS=on, which requires REDIS_URL', () => {
    const env = loadBenchEnv({ BENCH_REDIS: 'on', REDIS_URL: 'redis://127.0.0.1:6379' });
    expect([env.BENCH_REDIS, env.REDIS_URL]).toEqual(['on', 'redis://127.0.0.1:6379']);
    expect(() => loadBenchEnv({ BENCH_REDIS: 'on' })).toThrow(/REDIS_URL: is required with BENCH_REDIS=on/);
    expect(() => loadBenchEnv({ BENCH_REDIS: 'yes', REDIS_URL: 'redis://x' })).toThrow(/BENCH_REDIS/);
  });
});

describe('bench options: the request timeline', () => {
  it('traces requests only when asked', () => {
    expect(loadBenchEnv({}).BENCH_TRACE_REQUESTS).toBe(false);
    expect(loadBenchEnv({ BENCH_TRACE_REQUESTS: '1' }).BENCH_TRACE_REQUESTS).toBe(true);
    expect(() => loadBenchEnv({ BENCH_TRACE_REQUESTS: 'on' })).toThrow(/BENCH_TRACE_REQUESTS/);
  });
});
