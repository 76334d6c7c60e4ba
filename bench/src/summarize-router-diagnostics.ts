import { readFileSync } from 'node:fs';

/** What cpu-profile-preload.cjs writes next to the profile. */
interface RouterDiagnostics {
  /** performance.timeOrigin of the router (epoch ms): stall and pause times are ms after it. */
  timeOrigin?: number;
  /** [ms since start, duration ms, kind] per GC pause. */
  gcPauses: [number, number, string][];
  /** [ms since start, gap ms, ms the request thread ran, ms it was runnable but waiting for a CPU] per stall. */
  stalls?: [number, number, number, number][];
  eventLoopDelayMs: Record<'min' | 'mean' | 'p50' | 'p90' | 'p99' | 'p999' | 'max', number>;
}

/** The stretches of the run whose stalls are told apart (e.g. the router's fixed-rate slices). */
export interface DiagnosticsWindow {
  /** [start, end] epoch ms. */
  slices: [number, number][];
  label: string;
}

/** Why a stall happened, from what the request thread did during it. */
export type StallCause = 'gc' | 'own-work' | 'waiting-for-cpu' | 'other';

/**
 * `gc`: a GC pause covers most of the gap; `own-work`: the thread ran most of it (JavaScript or native work of the
 * router's own); `waiting-for-cpu`: it was runnable most of it but another thread or process held the CPU;
 * `other`: neither (e.g. a timer that woke late, or a mix).
 */
export function classifyStall(
  [start, gap, ran, waited]: [number, number, number, number],
  gcPauses: [number, number, string][],
): StallCause {
  let gc = 0;
  for (const [at, duration] of gcPauses)
    gc += Math.max(0, Math.min(start + gap, at + duration) - Math.max(start, at));
  if (gc > gap / 2) return 'gc';
  if (ran > gap * 0.6) return 'own-work';
  if (waited > gap * 0.6) return 'waiting-for-cpu';
  return 'other';
}

/**
 * GC pauses by kind and the event-loop delay the router saw from inside: if these are small while the
 * client sees a long tail, the tail came from the machine (run-queue waits), not from the router's own work.
 * With a window, also the event-loop stalls (> 4 ms) in it by cause.
 */
export function summarizeRouterDiagnostics(file: string, window?: DiagnosticsWindow): string {
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
  if (window && diagnostics.stalls && diagnostics.timeOrigin !== undefined) {
    const origin = diagnostics.timeOrigin;
    const inWindow = diagnostics.stalls.filter(([at, gap]) =>
      window.slices.some(([from, to]) => at >= from - origin && at + gap <= to - origin),
    );
    const seconds = window.slices.reduce((sum, [from, to]) => sum + (to - from), 0) / 1000;
    const causes: Record<StallCause, { count: number; ms: number; over10: number }> = {
      gc: { count: 0, ms: 0, over10: 0 },
      'own-work': { count: 0, ms: 0, over10: 0 },
      'waiting-for-cpu': { count: 0, ms: 0, over10: 0 },
      other: { count: 0, ms: 0, over10: 0 },
    };
    let ran = 0;
    let waited = 0;
    for (const stall of inWindow) {
      const cause = causes[classifyStall(stall, diagnostics.gcPauses)];
      cause.count++;
      cause.ms += stall[1];
      if (stall[1] > 10) cause.over10++;
      ran += stall[2];
      waited += stall[3];
    }
    const total = inWindow.reduce((sum, [, gap]) => sum + gap, 0);
    lines.push(
      `event-loop stalls > 4 ms during ${window.label} (${seconds.toFixed(0)} s): ${inWindow.length} (${(inWindow.length / seconds).toFixed(1)}/s), ${total.toFixed(0)} ms; ` +
        `in them the request thread ran ${ran.toFixed(0)} ms and waited for a CPU ${waited.toFixed(0)} ms`,
    );
    for (const [cause, { count, ms, over10 }] of Object.entries(causes)) {
      lines.push(`  ${cause}: ${count} stalls (${over10} over 10 ms), ${ms.toFixed(0)} ms`);
    }
  }
  return lines.join('\n');
}
