// Preloaded by count-allocations.ts (`--require`) into the router or the bare proxy. SIGUSR2 starts V8's sampling
// heap profiler, keeping objects that die young (includeObjectsCollectedByMinorGC/MajorGC: every allocation is a
// candidate sample, not only what survives) and counting GCs; the next SIGUSR2 stops it and writes
// { profile, gcs } to $HEAP_SAMPLING_OUT. Plain CommonJS because it runs before any loader.
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');
const { PerformanceObserver, constants } = require('node:perf_hooks');

const out = process.env.HEAP_SAMPLING_OUT;
if (out) {
  const session = new Session();
  session.connect();
  session.post('HeapProfiler.enable');
  let sampling = false;
  let gcs = { minor: 0, major: 0, other: 0, pauseMs: 0 };
  const observer = new PerformanceObserver((list) => {
    if (!sampling) return;
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) gcs.minor++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) gcs.major++;
      else gcs.other++;
      gcs.pauseMs += e.duration;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    if (!sampling) {
      gcs = { minor: 0, major: 0, other: 0, pauseMs: 0 };
      session.post(
        'HeapProfiler.startSampling',
        {
          samplingInterval: Number(process.env.HEAP_SAMPLING_INTERVAL) || 512,
          includeObjectsCollectedByMajorGC: true,
          includeObjectsCollectedByMinorGC: true,
        },
        (error) => {
          if (error) return process.stderr.write(`heap sampling failed to start: ${error.message}\n`);
          sampling = true;
          process.stderr.write('heap sampling started\n');
        },
      );
      return;
    }
    session.post('HeapProfiler.stopSampling', (error, result) => {
      sampling = false;
      if (error) return process.stderr.write(`heap sampling failed to stop: ${error.message}\n`);
      writeFileSync(out, JSON.stringify({ profile: result.profile, gcs }));
      process.stderr.write('heap sampling written\n');
    });
  });
}
