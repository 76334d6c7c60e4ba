import { readFileSync } from 'node:fs';

/** What cpu-profile-preload.cjs writes next to the profile. */
interface RouterDiagnostics {
  /** [ms since start, duration ms, kind] per GC pause. */
  gcPauses: [number, number, string][];
  eventLoopDelayMs: Record<'min' | 'mean' | 'p50' | 'p90' | 'p99' | 'p999' | 'max', number>;
}

/**
 * GC pauses by kind and the event-loop delay the router saw from inside: if these are small while the
 * client sees a long tail, the tail came from the machine (run-queue waits), not from the router's own work.
 */
export function summarizeRouterDiagnostics(file: string): string {
  const diagnostics = JSON.parse(readFileSync(file, 'utf8')) as RouterDiagnostics;
  const byKind = new Map<string, number[]>();
  for (const [, duration, kind] of diagnostics.gcPauses) {
    const list = byKind.get(kind) ?? [];
    list.push(duration);
    byKind.set(kind, list);
  }
  const lines = ['GC pauses (whole router lifetime):'];
  for (const [kind, durations] of byKind) {
    durations.sort((a, b) => a - b);
    const total = durations.reduce((a, b) => a + b, 0);
    const at = (q: number) =>
      (durations[Math.min(durations.length - 1, Math.floor(q * durations.length))] as number).toFixed(2);
    lines.push(
      `  ${kind}: ${durations.length} pauses, ${total.toFixed(0)} ms total, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${(durations.at(-1) as number).toFixed(2)} ms`,
    );
  }
  const d = diagnostics.eventLoopDelayMs;
  lines.push(
    `event-loop delay (1 ms timer resolution): p50 ${d.p50.toFixed(2)}, p90 ${d.p90.toFixed(2)}, p99 ${d.p99.toFixed(2)}, p99.9 ${d.p999.toFixed(2)}, max ${d.max.toFixed(2)} ms`,
  );
  return lines.join('\n');
}
