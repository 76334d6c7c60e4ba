import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnProcess } from '@switchyard/testkit';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';

const PRELOAD = fileURLToPath(new URL('./request-trace-preload.cjs', import.meta.url));

/** A plain node:http server, as the bench's bare proxy is one; `/gc` runs a full GC before answering. */
const SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  if (req.url === '/gc') globalThis.gc();
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok');
});
server.listen(0, '127.0.0.1', () => console.log('listening on ' + server.address().port));
`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'request-trace-preload-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const traceDir = path.join(dir, 'traces');
const serverFile = path.join(dir, 'server.cjs');
writeFileSync(serverFile, SERVER);

const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

describe('request-trace-preload.cjs in a real node:http server', () => {
  it("records numbered requests' start, res.end and finish on the monotonic clock, and GC pauses; ignores the rest", async () => {
    const { proc, match } = await spawnProcess(process.execPath, ['--expose-gc', serverFile], {
      env: { NODE_OPTIONS: `--require ${PRELOAD}`, BENCH_TRACE_DIR: traceDir },
      ready: /listening on (\d+)/,
      timeoutMs: 30_000,
    });
    const origin = `http://127.0.0.1:${match[1]}`;
    const sent: { seq: number; before: number; after: number }[] = [];
    for (const [seq, pathname] of [
      [7, '/'],
      [null, '/'],
      [8, '/'],
      [null, '/gc'],
      [1234567, '/'],
    ] as const) {
      const before = monotonicMs();
      const response = await request(`${origin}${pathname}`, {
        headers: seq === null ? {} : { 'x-bench-seq': String(seq) },
      });
      expect(await response.body.text()).toBe('ok');
      if (seq !== null) sent.push({ seq, before, after: monotonicMs() });
    }
    // The server has no SIGTERM handler: the preload writes its file, then SIGTERM ends the process as before.
    await proc.stop('SIGTERM');
    expect(proc.child.signalCode).toBe('SIGTERM');

    const lines = readFileSync(path.join(traceDir, `${proc.child.pid}.trace`), 'utf8')
      .trim()
      .split('\n');
    expect(lines[0]).toBe(`# process ${proc.child.pid} server.cjs`);
    const requests = lines.slice(1).filter((line) => !line.startsWith('gc '));
    expect(requests.map((line) => Number(line.split(' ')[0]))).toEqual([7, 8, 1234567]);
    for (const [i, line] of requests.entries()) {
      const [t0, end, finish] = line.split(' ').slice(1).map(Number) as [number, number, number];
      const { before, after } = sent[i] as (typeof sent)[number];
      // Same clock as this process: the server saw the request after it was sent and called res.end before the
      // answer arrived ('finish' may trail the client, which can read the answer before the server runs again).
      expect(before).toBeLessThanOrEqual(t0);
      expect(t0).toBeLessThanOrEqual(end);
      expect(end).toBeLessThanOrEqual(finish);
      expect(end).toBeLessThanOrEqual(after);
    }
    const gcKinds = lines.filter((line) => line.startsWith('gc ')).map((line) => line.split(' ')[3]);
    expect(gcKinds).toContain('major');
  });
});
