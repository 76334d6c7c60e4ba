const UNIT_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/** Every bucket start in [from, to) as ISO strings: a chart shows empty hours as zero, not by leaving them out. */
export function bucketStarts(from: string, to: string, granularity: keyof typeof UNIT_MS): string[] {
  const unit = UNIT_MS[granularity];
  const starts: string[] = [];
  for (let at = Date.parse(from); at < Date.parse(to); at += unit) starts.push(new Date(at).toISOString());
  return starts;
}

/** Distinct on light and dark backgrounds; the middle shades keep their colour in dark mode. */
export const SERIES_COLORS = [
  '#6366f1',
  '#059669',
  '#f59e0b',
  '#ef4444',
  '#0ea5e9',
  '#a855f7',
  '#ec4899',
  '#84cc16',
];

/** The colour of the summed rest ("other"). */
export const OTHER_SERIES_COLOR = '#64748b';

function hash(text: string): number {
  let value = 2166136261;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 16777619);
  }
  return value >>> 0;
}

/**
 * A colour per series name that follows the name, not its rank: a team keeps its colour when the range, the
 * ranking or the other series change. Each name starts at the colour its hash picks and, if an earlier name (in
 * name order) took it, moves to the next free one, so shown series never share a colour.
 */
export function seriesColors(names: readonly string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  for (const name of [...names].sort()) {
    if (name === 'other') {
      colors.set(name, OTHER_SERIES_COLOR);
      continue;
    }
    let slot = hash(name) % SERIES_COLORS.length;
    for (let tries = 0; taken.has(slot) && tries < SERIES_COLORS.length; tries += 1) {
      slot = (slot + 1) % SERIES_COLORS.length;
    }
    taken.add(slot);
    colors.set(name, SERIES_COLORS[slot] ?? OTHER_SERIES_COLOR);
  }
  return colors;
}
