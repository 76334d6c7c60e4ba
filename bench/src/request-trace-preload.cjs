// Preloaded (NODE_OPTIONS=--require …) into the bench's router and bare proxy when BENCH_TRACE_REQUESTS=1, so that
// production code carries no trace hooks. For every request that carries the load generator's number (x-bench-seq)
// it records, on CLOCK_MONOTONIC like the generator, when node:http hands it to the server (t0: before any 'request'
// listener runs), when res.end is first called and when the response emits 'finish'; and every GC pause. Joined
// with the generator's lines by summarize-request-trace.ts: arrival (t0 − send), handler (end − t0), end → finish,
// finish → client. Written to $BENCH_TRACE_DIR/<pid>.trace when the process exits (and on SIGTERM, in case the
// process's own shutdown never reaches 'exit').
// Plain CommonJS because it runs before any loader. Main thread only (preloads also run in worker threads).
const { isMainThread } = require('node:worker_threads');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { PerformanceObserver, constants, performance } = require('node:perf_hooks');

const dir = process.env.BENCH_TRACE_DIR;
if (dir && isMainThread) {
  // performance.now() and process.hrtime read the same monotonic clock (uv_hrtime); the generator adds the same
  // offset, so both sides' times compare. A float read allocates nothing, unlike hrtime.bigint().
  const offsetMs = Number(process.hrtime.bigint()) / 1e6 - performance.now();
  const now = () => performance.now() + offsetMs;

  // Parallel arrays grown by doubling: no object per request. Slot i: seq, t0, end, finish (NaN until seen).
  let capacity = 1 << 16;
  let seqs = new Float64Array(capacity);
  let starts = new Float64Array(capacity);
  let ends = new Float64Array(capacity);
  let finishes = new Float64Array(capacity);
  let count = 0;
  const grow = () => {
    capacity *= 2;
    const bigger = (old) => {
      const next = new Float64Array(capacity);
      next.set(old);
      return next;
    };
    seqs = bigger(seqs);
    starts = bigger(starts);
    ends = bigger(ends);
    finishes = bigger(finishes);
  };
  /** The response's slot, set only on numbered requests' responses. */
  const slotKey = Symbol('benchTraceSlot');

  /** A 'finish' listener shared by every response (`this` is the response): no closure per request. */
  const onFinish = function () {
    finishes[this[slotKey]] = now();
  };

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (event, req, res) {
    if (event === 'request') {
      const t0 = now();
      const seq = req.headers['x-bench-seq'];
      if (seq !== undefined) {
        if (count === capacity) grow();
        const slot = count++;
        seqs[slot] = Number(seq);
        starts[slot] = t0;
        ends[slot] = Number.NaN;
        finishes[slot] = Number.NaN;
        res[slotKey] = slot;
        res.on('finish', onFinish);
      }
    }
    // biome-ignore lint/complexity/noArguments: passes every event's arguments on without an array per call
    return emit.apply(this, arguments);
  };

  const end = http.ServerResponse.prototype.end;
  http.ServerResponse.prototype.end = function () {
    const slot = this[slotKey];
    if (slot !== undefined && Number.isNaN(ends[slot])) ends[slot] = now();
    // biome-ignore lint/complexity/noArguments: passes res.end's arguments on as given, without an array per call
    return end.apply(this, arguments);
  };

  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  /** Every GC pause: start (monotonic ms), duration ms, kind. */
  const gcLines = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries())
      gcLines.push(
        `gc ${(entry.startTime + offsetMs).toFixed(4)} ${entry.duration.toFixed(4)} ${kinds[entry.detail?.kind] ?? 'other'}`,
      );
  }).observe({ entryTypes: ['gc'] });

  const write = () => {
    // A process that served no numbered request (e.g. a side router) leaves no file.
    if (count === 0) return;
    const lines = [`# process ${process.pid} ${path.basename(process.argv[1] ?? '')}`];
    for (let i = 0; i < count; i++)
      lines.push(`${seqs[i]} ${starts[i].toFixed(4)} ${ends[i].toFixed(4)} ${finishes[i].toFixed(4)}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${process.pid}.trace`), `${lines.join('\n')}\n${gcLines.join('\n')}\n`);
  };
  process.once('exit', write);
  process.prependListener('SIGTERM', function onTerm() {
    write();
    // Alone, this listener would keep the process alive where SIGTERM used to end it: end it as before.
    if (process.listenerCount('SIGTERM') === 1) {
      process.removeListener('SIGTERM', onTerm);
      process.kill(process.pid, 'SIGTERM');
    }
  });
}
