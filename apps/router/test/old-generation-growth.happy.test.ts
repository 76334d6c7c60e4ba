import { spawnSync } from 'node:child_process';
import { routerNodeFlags } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';

/**
 * Issue 15, peak RSS: under load the router's request thread promotes whatever outlives two scavenges (the more,
 * the longer requests take, as on a busy host), and most of it dies soon after. V8 starts a full collection once
 * the old generation reaches a limit it sets from the size left by the last one times a growing factor of its own
 * choosing, so that garbage piled up: at 1,000 req/s the old generation went 21 → 45 MiB with at most one full
 * collection in the run, and a forced one left 15 MiB (docs/benchmarks.md, "Peak RSS: the request thread's old
 * generation"). The start script fixes the factor (`--heap-growing-percent`); this runs the same pattern, a live
 * set plus objects promoted and then dropped, under exactly that script's Node flags and reads the old generation's
 * peak.
 *
 * Measured here 166.4 and 168.3 MiB peak without the flag, 60.6–62.6 with it (2026-12-07); in the router at
 * 1,000 req/s the old generation peaked at 31–47 MiB without it and 28–29.5 with it.
 */
const MAX_PEAK_OLD_MIB = 100;

const SCRIPT = `
import v8 from 'node:v8';
// What stays: ~10 MiB, about what the router's old generation holds after a full collection.
const live = [];
for (let i = 0; i < 100_000; i++) live.push({ id: i, name: 'k' + i, tags: [i] });
// What is promoted and then dies: each batch is held across ~two scavenges, as a request in a backlog is.
const inFlight = [];
let peak = 0;
let round = 0;
const step = () => {
  for (let k = 0; k < 20; k++, round++) {
    const batch = [];
    for (let j = 0; j < 1000; j++) batch.push({ id: j, s: 'req_' + round + '_' + j, a: [j, round] });
    inFlight.push(batch);
    if (inFlight.length > 150) inFlight.shift();
  }
  const old = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'old_space');
  peak = Math.max(peak, old.space_used_size);
  if (round < 4_000) setImmediate(step);
  else console.log(JSON.stringify({ peakOldMiB: peak / 1048576, live: live.length }));
};
step();
`;

describe('the router’s Node flags', () => {
  it('collect promoted garbage before the old generation grows to several times what is live', () => {
    const result = spawnSync(process.execPath, [...routerNodeFlags(), '--input-type=module', '-e', SCRIPT], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const { peakOldMiB, live } = JSON.parse(result.stdout) as { peakOldMiB: number; live: number };
    console.log(`old generation peak under promoted garbage: ${peakOldMiB.toFixed(1)} MiB`);
    expect(live).toBe(100_000);
    // The batches held at once alone are ~20 MiB: the old generation must have held them to be measuring anything.
    expect(peakOldMiB).toBeGreaterThan(20);
    expect(peakOldMiB).toBeLessThanOrEqual(MAX_PEAK_OLD_MIB);
  });
});
