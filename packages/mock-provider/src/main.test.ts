import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageScriptCommand } from '../../../scripts/package-script-command';

// The package's start script, compiled by the tests' global setup: what `npm start` and compose run.
const START = packageScriptCommand(fileURLToPath(new URL('..', import.meta.url)));

interface Run {
  output: () => string;
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
}

function runCli(env: Record<string, string>): Run {
  const child = spawn(START.command, START.args, {
    cwd: START.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  return {
    output: () => output,
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
    kill: (signal) => child.kill(signal),
  };
}

async function waitForOutput(run: Run, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const match = run.output().match(pattern);
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`CLI never printed ${pattern}; output: ${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('mock provider CLI', () => {
  it('listens on MOCK_HOST:MOCK_PORT, serves, and stops on SIGTERM', async () => {
    const run = runCli({ MOCK_PORT: '0', MOCK_HOST: '127.0.0.1' });
    const [, url] = await waitForOutput(
      run,
      /"msg":"mock provider listening on (http:\/\/127\.0\.0\.1:\d+\/v1)"/,
    );
    // One JSON object a line, in the router's shape.
    const first = JSON.parse(run.output().split('\n')[0] as string);
    expect(first).toMatchObject({
      level: 'info',
      service: 'mock-provider',
      url,
      msg: `mock provider listening on ${url}`,
    });
    const response = await fetch(`${url}/models`);
    expect(response.status).toBe(200);
    run.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain('"signal":"SIGTERM","msg":"mock provider stopping"');
  });

  it('exits 1 with a clear message on a bad MOCK_PORT', async () => {
    const run = runCli({ MOCK_PORT: 'eighty' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(
      "mock provider: MOCK_PORT must be an integer between 0 and 65535, got 'eighty'.",
    );
  });
});
