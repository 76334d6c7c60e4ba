// Children of `npm start` share its terminal: each line they print is prefixed with their name.

import { type ChildProcess, spawn } from 'node:child_process';

export interface SpawnWithPrefixOptions {
  cwd: string;
  /** Added to this process's environment. */
  env: Record<string, string>;
  /** Put before each line of output, e.g. a coloured `[router]`. */
  prefix: string;
}

export function spawnWithPrefix(
  command: string,
  args: string[],
  options: SpawnWithPrefixOptions,
): ChildProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}), ...options.env },
    stdio: ['inherit', 'pipe', 'pipe'],
  });
  pipeWithPrefix(child.stdout, process.stdout, options.prefix);
  pipeWithPrefix(child.stderr, process.stderr, options.prefix);
  return child;
}

function pipeWithPrefix(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream, prefix: string): void {
  if (!from) return;
  let pending = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) to.write(`${prefix} ${line}\n`);
  });
  from.on('end', () => {
    if (pending !== '') to.write(`${prefix} ${pending}\n`);
  });
}
