// Preloaded into the router (NODE_OPTIONS=--require …) when BENCH_CPU_PROF=1. Node 20 refuses --cpu-prof in
// NODE_OPTIONS, so this starts the same V8 sampling profiler through node:inspector and writes a
// .cpuprofile (open it in Chrome DevTools or speedscope) when the process exits. It also records every GC
// pause, the event-loop delay histogram and every event-loop stall (with whether the request thread ran or waited
// for a CPU meanwhile), which say from inside the router whether a latency tail is the router's own (GC, long
// synchronous work) or the machine's (the router was runnable but not running).
// Plain CommonJS because it runs before any loader. Only the router's own process is instrumented (not a tsx
// launcher in front of it, nor the other processes NODE_OPTIONS reaches).
const { Session } = require('node:inspector');
const { mkdirSync, openSync, readSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { PerformanceObserver, monitorEventLoopDelay, constants, performance } = require('node:perf_hooks');

const entry = process.argv[1] ?? '';
const dir = process.env.BENCH_CPU_PROF_DIR;
// The router runs compiled (`dist/router.js`, its start script) since issue 15; main.ts is a router run through tsx.
const isRouter =
  entry.endsWith(path.join('apps', 'router', 'dist', 'router.js')) ||
  entry.endsWith(path.join('apps', 'router', 'src', 'main.ts'));
if (dir && isRouter) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', {
    interval: Number(process.env.BENCH_CPU_PROF_INTERVAL_US) || 500,
  });
  session.post('Profiler.start');

  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor (scavenge)',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major (mark-compact)',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental marking',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weak callbacks',
  };
  /** Every GC pause: [ms since start, duration ms, kind]. */
  const pauses = [];
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      pauses.push([e.startTime, e.duration, kinds[e.detail?.kind] ?? 'other']);
  });
  gc.observe({ entryTypes: ['gc'] });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();

  // Stalls: a 1 ms timer that fires late by more than STALL_MS, with what the request thread did meanwhile, from
  // its own /proc/thread-self/schedstat (ns on a CPU, ns runnable but waiting for one). A stall in which the thread
  // mostly ran is the router's own work (GC or JavaScript: the profile and the GC pauses say which); one in which it
  // mostly waited is the machine's (another thread or process held the CPU), however long the tail it makes.
  const STALL_MS = 4;
  /** [ms since start (as GC pauses), gap ms, ms running, ms runnable but waiting]. */
  const stalls = [];
  let schedFd = null;
  try {
    schedFd = openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    // Not Linux: stalls are still recorded, without the split.
  }
  const schedBuf = Buffer.alloc(96);
  const readSched = () => {
    if (schedFd === null) return [Number.NaN, Number.NaN];
    const n = readSync(schedFd, schedBuf, 0, schedBuf.length, 0);
    const [run, wait] = schedBuf.toString('latin1', 0, n).split(' ');
    return [Number(run) / 1e6, Number(wait) / 1e6];
  };
  let lastTick = performance.now();
  let lastSched = readSched();
  setInterval(() => {
    const now = performance.now();
    const sched = readSched();
    if (now - lastTick > STALL_MS)
      stalls.push([lastTick, now - lastTick, sched[0] - lastSched[0], sched[1] - lastSched[1]]);
    lastTick = now;
    lastSched = sched;
  }, 1).unref();

  process.once('exit', () => {
    mkdirSync(dir, { recursive: true });
    loopDelay.disable();
    const ms = (ns) => ns / 1e6;
    const diagnostics = {
      pid: process.pid,
      timeOrigin: performance.timeOrigin,
      gcPauses: pauses,
      stalls,
      eventLoopDelayMs: {
        min: ms(loopDelay.min),
        mean: ms(loopDelay.mean),
        p50: ms(loopDelay.percentile(50)),
        p90: ms(loopDelay.percentile(90)),
        p99: ms(loopDelay.percentile(99)),
        p999: ms(loopDelay.percentile(99.9)),
        max: ms(loopDelay.max),
      },
      memory: process.memoryUsage(),
    };
    writeFileSync(path.join(dir, `router.${process.pid}.diagnostics.json`), JSON.stringify(diagnostics));
    // Same-thread inspector sessions answer synchronously, so this completes inside the exit handler.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(path.join(dir, `router.${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
