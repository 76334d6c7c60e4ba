import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import type { ClosedLoopSlice, ClosedLoopTask } from './load-task';

/** Max throughput: `connections` clients in a closed loop for `durationS`, with autocannon or wrk. */
export function runClosedLoop(task: ClosedLoopTask): Promise<ClosedLoopSlice> {
  return task.tool === 'wrk' ? runWrk(task) : runAutocannon(task);
}

async function runAutocannon(task: ClosedLoopTask): Promise<ClosedLoopSlice> {
  const result = await autocannon({
    url: task.target.url,
    method: 'POST',
    headers: task.target.headers,
    body: task.target.body,
    connections: task.connections,
    pipelining: 1,
    duration: task.durationS,
    timeout: 10,
  });
  const statuses: Record<string, number> = {};
  for (const range of ['1xx', '3xx', '4xx', '5xx'] as const)
    if (result[range] > 0) statuses[range] = result[range];
  return {
    kind: 'closed',
    tool: 'autocannon',
    connections: task.connections,
    durationS: result.duration,
    sent: result.requests.sent,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    firstError: result.errors > 0 ? `${result.errors} connection errors (${result.timeouts} timeouts)` : null,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50Us: number;
  p99Us: number;
}

/** Debian's wrk, one thread (it shares the load generator's CPU); its Lua `done` hook prints a JSON line. */
async function runWrk(task: ClosedLoopTask): Promise<ClosedLoopSlice> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchyard-bench-wrk-'));
  try {
    const script = path.join(dir, 'post.lua');
    const headerLines = Object.entries(task.target.headers)
      .map(([name, value]) => `wrk.headers[ ${luaString(name)} ] = ${luaString(value)}`)
      .join('\n');
    await writeFile(
      script,
      `wrk.method = "POST"
wrk.body = ${luaString(task.target.body)}
${headerLines}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50Us":%d,"p99Us":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`,
    );
    const args = [
      '-t1',
      `-c${task.connections}`,
      `-d${task.durationS}s`,
      '--timeout',
      '10s',
      '-s',
      script,
      task.target.url,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}:\n${text}`)),
      );
    });
    const line = output.split('\n').find((l) => l.startsWith('{"requests"'));
    if (!line) throw new Error(`wrk printed no summary:\n${output}`);
    const summary = JSON.parse(line) as WrkSummary;
    const durationS = summary.durationUs / 1e6;
    const errors = summary.connect + summary.read + summary.write + summary.timeout;
    const ok = summary.requests - summary.status;
    return {
      kind: 'closed',
      tool: 'wrk',
      connections: task.connections,
      durationS,
      // wrk does not count requests still in flight when it stops; at most one per connection.
      sent: summary.requests,
      ok,
      non2xx: summary.status,
      errors,
      statuses: summary.status > 0 ? { 'non-2xx/3xx': summary.status } : {},
      firstError: errors > 0 ? `wrk socket errors: ${JSON.stringify(summary)}` : null,
      p50Ms: summary.p50Us / 1000,
      p99Ms: summary.p99Us / 1000,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A Lua long-bracket string literal that cannot be closed by the text inside it. */
function luaString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}
