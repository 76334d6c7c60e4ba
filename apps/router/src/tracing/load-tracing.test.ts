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
    const texts = new Map<string, string>();
    for (const file of await sourceFiles(src))
      texts.set(path.relative(src, file), await readFile(file, 'utf8'));
    const matching = (pattern: RegExp) =>
      [...texts]
        .filter(([, text]) => pattern.test(text))
        .map(([name]) => name)
        .sort();
    const tracing = (name: string) => path.join('tracing', name);
    expect(matching(/from '@opentelemetry\//)).toEqual([
      tracing('span-export-thread.ts'),
      tracing('span-export-worker.ts'),
      tracing('start-otel-tracing.ts'),
    ]);
    expect(matching(/start-otel-tracing'/)).toEqual([tracing('load-tracing.ts')]);
    // The rest of the SDK side hangs off start-otel-tracing: its span processor, and the worker entry that
    // processor starts as a thread (by name) and takes its message types from.
    expect(matching(/span-export-thread'/)).toEqual([tracing('start-otel-tracing.ts')]);
    expect(matching(/span-export-worker'/)).toEqual([tracing('span-export-thread.ts')]);
    const loader = texts.get(tracing('load-tracing.ts')) ?? '';
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
