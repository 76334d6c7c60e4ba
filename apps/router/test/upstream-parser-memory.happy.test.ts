import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { routerNodeFlags } from '@switchyard/testkit';
import { describe, expect, it } from 'vitest';

const ROUTER_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Issue 15, peak RSS: undici parses upstream answers with llhttp compiled to WebAssembly. With V8's default tiering,
 * once the parser is hot (~500 answers) TurboFan recompiles it on a background thread in ~36 MiB of compiler memory
 * (malloc, outside the JS heap): a transient ~28 MiB on the router's RSS high-water mark, and ~10 MiB the malloc
 * arena keeps afterwards. The router's start script keeps WebAssembly on the baseline compiler (Liftoff); this runs
 * the router's own undici under exactly that script's Node flags and reads V8's peak compiler memory.
 *
 * Measured 38–40 MiB peak with the flags before the change, 4–5 MiB with them (2026-12-06).
 */
const ANSWERS = 3_000;
const MAX_PEAK_COMPILER_MIB = 16;

const SCRIPT = `
import http from 'node:http';
import { createRequire } from 'node:module';
import v8 from 'node:v8';
const { request } = createRequire(${JSON.stringify(`${ROUTER_DIR}package.json`)})('undici');
const body = JSON.stringify({ object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi!' } }] });
const server = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(body));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = 'http://127.0.0.1:' + server.address().port + '/';
for (let i = 0; i < ${ANSWERS}; i++) await (await request(url)).body.text();
server.close();
console.log(JSON.stringify({ peakMallocedMiB: v8.getHeapStatistics().peak_malloced_memory / 1048576 }));
`;

describe('the router’s Node flags', () => {
  it('keep undici’s WebAssembly parser off TurboFan, so a hot parser costs no burst of compiler memory', () => {
    const result = spawnSync(process.execPath, [...routerNodeFlags(), '--input-type=module', '-e', SCRIPT], {
      cwd: ROUTER_DIR,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const { peakMallocedMiB } = JSON.parse(result.stdout) as { peakMallocedMiB: number };
    console.log(`peak V8 malloced memory after ${ANSWERS} parsed answers: ${peakMallocedMiB.toFixed(1)} MiB`);
    expect(peakMallocedMiB).toBeGreaterThan(0);
    expect(peakMallocedMiB).toBeLessThanOrEqual(MAX_PEAK_COMPILER_MIB);
  });
});
