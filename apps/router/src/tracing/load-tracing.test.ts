import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logger';
import { loadTracing, tracesUrl } from './load-tracing';

const silent = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
    }),
  );
  return nested.flat();
}

describe('loadTracing', () => {
  it('is null without an endpoint, so the request path skips tracing with one null check', async () => {
    expect(
      await loadTracing({ endpoint: undefined, serviceName: 'r', exportDelayMs: 50 }, silent),
    ).toBeNull();
  });

  it('gives a tracer when an endpoint is set', async () => {
    const tracing = await loadTracing(
      { endpoint: 'http://127.0.0.1:9/', serviceName: 'r', exportDelayMs: 50 },
      silent,
    );
    expect(tracing).not.toBeNull();
    await tracing?.shutdown();
  });

  it('the OpenTelemetry SDK is reachable only through the dynamic import in loadTracing', async () => {
    const src = path.resolve(import.meta.dirname, '..');
    const importers: string[] = [];
    const sdkImporters: string[] = [];
    for (const file of await sourceFiles(src)) {
      const text = await readFile(file, 'utf8');
      const name = path.relative(src, file);
      if (/from '@opentelemetry\//.test(text)) sdkImporters.push(name);
      if (/start-otel-tracing'/.test(text)) importers.push(name);
    }
    expect(sdkImporters).toEqual([path.join('tracing', 'start-otel-tracing.ts')]);
    expect(importers).toEqual([path.join('tracing', 'load-tracing.ts')]);
    const loader = await readFile(path.join(src, 'tracing', 'load-tracing.ts'), 'utf8');
    expect(loader).toContain("await import('./start-otel-tracing')");
    expect(loader).not.toMatch(/^import .*start-otel-tracing/m);
  });
});

describe('tracesUrl', () => {
  it.each([
    ['http://collector:4318', 'http://collector:4318/v1/traces'],
    ['http://collector:4318/', 'http://collector:4318/v1/traces'],
    ['https://otel.example/otlp//', 'https://otel.example/otlp/v1/traces'],
  ])('%s → %s', (endpoint, url) => {
    expect(tracesUrl(endpoint)).toBe(url);
  });
});
