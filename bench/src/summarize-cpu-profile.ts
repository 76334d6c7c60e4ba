import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

/** The `.cpuprofile` format written by `node --cpu-prof` (Chrome DevTools protocol `Profiler.Profile`). */
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  location: string;
  area: string;
  ms: number;
  /** Share of the profile's busy (non-idle) time. */
  percent: number;
}

export interface ProfileSummary {
  /** Wall time covered by the profile and how much of it the main thread was busy. */
  wallMs: number;
  busyMs: number;
  byArea: { area: string; ms: number; percent: number }[];
  selfTop: HotSpot[];
  /** Our own functions (router, core, db) by inclusive time: where the request path spends, callees included. */
  inclusiveTop: HotSpot[];
}

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Which part of the stack a frame belongs to, to see at a glance where the time goes. */
function areaOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(program)') return 'V8/native (program)';
  if (functionName === '(idle)') return 'idle';
  if (url.startsWith('node:')) {
    if (/node:(_http|http)/.test(url) || url.includes('internal/http')) return 'node:http';
    if (url.includes('stream')) return 'node streams';
    if (/net|tcp|dns|socket/.test(url)) return 'node net';
    return 'node (other)';
  }
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (match) {
    const pkg = match[1] as string;
    if (pkg === 'pg' || pkg.startsWith('pg-') || pkg.startsWith('@prisma') || pkg === 'prisma')
      return 'db driver (pg/prisma)';
    return pkg;
  }
  if (url.includes('/apps/router/')) return 'router';
  if (url.includes('/packages/core/')) return 'core';
  if (url.includes('/packages/db/')) return 'db package';
  if (url === '') return 'native/builtin';
  return 'other';
}

function locationOf(frame: CallFrame): string {
  if (!frame.url) return '';
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url;
  const shown = file.startsWith(REPO) ? path.relative(REPO, file) : file;
  // Our TypeScript runs through tsx (esbuild): V8's line numbers are those of the generated code, not the source.
  return file.endsWith('.ts') ? shown : `${shown}:${frame.lineNumber + 1}`;
}

function keyOf(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'}\u0000${frame.url}\u0000${frame.lineNumber}`;
}

/** Self time per function, area breakdown and our functions' inclusive time, from one `.cpuprofile`. */
export function summarizeCpuProfile(file: string, top = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the gap before sample i; weight each sample by the gap after it.
    const weight = timeDeltas[i + 1] ?? timeDeltas[i] ?? 0;
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + weight);
  }

  let idleUs = 0;
  let totalUs = 0;
  const self = new Map<string, { frame: CallFrame; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = (byId.get(id) as ProfileNode).callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const key = keyOf(frame);
    const entry = self.get(key) ?? { frame, us: 0 };
    entry.us += us;
    self.set(key, entry);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;

  // Inclusive time: self plus all callees, counting a recursive function once per stack.
  const inclusive = new Map<string, { frame: CallFrame; us: number }>();
  const subtree = new Map<number, number>();
  const sizeOf = (id: number): number => {
    const cached = subtree.get(id);
    if (cached !== undefined) return cached;
    const node = byId.get(id) as ProfileNode;
    let us = selfUs.get(id) ?? 0;
    for (const child of node.children ?? []) us += sizeOf(child);
    subtree.set(id, us);
    return us;
  };
  const root = profile.nodes[0] as ProfileNode;
  const walk = (id: number, active: Set<string>) => {
    const node = byId.get(id) as ProfileNode;
    const key = keyOf(node.callFrame);
    const fresh = !active.has(key);
    if (fresh) {
      const entry = inclusive.get(key) ?? { frame: node.callFrame, us: 0 };
      entry.us += sizeOf(id);
      inclusive.set(key, entry);
      active.add(key);
    }
    for (const child of node.children ?? []) walk(child, active);
    if (fresh) active.delete(key);
  };
  walk(root.id, new Set());

  const spot = ({ frame, us }: { frame: CallFrame; us: number }): HotSpot => ({
    name: frame.functionName || '(anonymous)',
    location: locationOf(frame),
    area: areaOf(frame),
    ms: us / 1000,
    percent: busyUs > 0 ? (100 * us) / busyUs : 0,
  });
  const ours = new Set(['router', 'core', 'db package']);
  return {
    wallMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    byArea: [...areas]
      .map(([area, us]) => ({ area, ms: us / 1000, percent: busyUs > 0 ? (100 * us) / busyUs : 0 }))
      .sort((a, b) => b.ms - a.ms),
    selfTop: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(spot),
    inclusiveTop: [...inclusive.values()]
      .filter((entry) => ours.has(areaOf(entry.frame)))
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map(spot),
  };
}

/** Plain-text rendering for the terminal and the markdown report (inside a code block). */
export function formatProfileSummary(summary: ProfileSummary): string {
  const pct = (p: number) => `${p.toFixed(1).padStart(5)}%`;
  const lines = [
    `busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.wallMs / 1000).toFixed(1)} s profiled (${pct((100 * summary.busyMs) / summary.wallMs).trim()} of one core)`,
    '',
    'by area (self time, % of busy):',
    ...summary.byArea.slice(0, 14).map((a) => `  ${pct(a.percent)}  ${a.area}`),
    '',
    'top functions by self time:',
    ...summary.selfTop.map((s) => `  ${pct(s.percent)}  ${s.name}  ${s.location}  [${s.area}]`),
    '',
    'our code by inclusive time (callees included):',
    ...summary.inclusiveTop.map((s) => `  ${pct(s.percent)}  ${s.name}  ${s.location}`),
  ];
  return lines.join('\n');
}

// `tsx src/summarize-cpu-profile.ts <file.cpuprofile> [top]` prints the summary of any profile.
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: tsx src/summarize-cpu-profile.ts <file.cpuprofile> [top]\n');
    process.exit(2);
  }
  process.stdout.write(`${formatProfileSummary(summarizeCpuProfile(file, Number(top) || 20))}\n`);
}
