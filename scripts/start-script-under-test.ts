// For the tests of `npm start`: runs the real start script as a child process and watches what it prints and
// which processes it runs. Nothing here is used by the script itself.

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@switchyard/db/testing';
import { packageScriptCommand } from './package-script-command';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Entry files of the children (their packages' start scripts), as they appear on their command lines. */
export const ENTRIES = {
  router: packageScriptCommand(path.join(repoRoot, 'apps', 'router')).args.at(-1) as string,
  mock: packageScriptCommand(path.join(repoRoot, 'packages', 'mock-provider')).args.at(-1) as string,
} as const;

export interface StartScriptRun {
  child: ChildProcess;
  /** Everything printed so far, stdout and stderr interleaved as they arrived. */
  output: () => string;
  /** Waits until `pattern` matches the output from character `from` on; fails at once if the script exits. */
  waitForOutput: (pattern: RegExp, timeoutMs: number, from?: number) => Promise<RegExpMatchArray>;
  /**
   * Runs `action` in the same tick the output first matches `pattern` (no polling delay), so what it observes is
   * the state of the world when the line was printed. Resolves with what `action` resolves to.
   */
  whenPrinted: <T>(pattern: RegExp, action: () => Promise<T>) => Promise<T>;
  /** Pid of the script's running child whose command line names `entry`, if there is one. */
  childPid: (entry: string) => number | undefined;
  /** Sends `signal` (if still running) and resolves with the exit code once it has exited. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/**
 * Starts the root `start` script (`node scripts/dist/start.js`, what `npm start` runs after compiling; the tests'
 * global setup compiled it) with `env` over the test's environment.
 */
export function runStartScript(env: Record<string, string>): StartScriptRun {
  const start = packageScriptCommand(repoRoot);
  const child = spawn(start.command, start.args, {
    cwd: start.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const watchers: { pattern: RegExp; fire: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const watcher of [...watchers]) {
      if (!watcher.pattern.test(text)) continue;
      watchers.splice(watchers.indexOf(watcher), 1);
      watcher.fire();
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    output: () => text,
    waitForOutput: (pattern, timeoutMs, from = 0) =>
      waitFor(
        `${pattern} in the output of npm start`,
        () => {
          const match = text.slice(from).match(pattern);
          if (match) return match;
          if (!running())
            throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${text}`);
          return undefined;
        },
        { timeoutMs, intervalMs: 50 },
      ),
    whenPrinted: (pattern, action) =>
      new Promise((resolve, reject) => {
        let fired = false;
        const fire = () => {
          fired = true;
          action().then(resolve, reject);
        };
        if (pattern.test(text)) fire();
        else watchers.push({ pattern, fire });
        child.once('exit', () => {
          if (!fired) reject(new Error(`npm start exited before printing ${pattern}:\n${text}`));
        });
      }),
    childPid: (entry) => childrenOf(child.pid ?? -1).find((pid) => commandLine(pid).includes(entry)),
    stop: async (signal = 'SIGTERM') => {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}

/** Live (not zombie) processes whose parent is `parentPid`, from /proc. */
function childrenOf(parentPid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === parentPid && state !== 'Z') pids.push(Number(name));
    } catch {
      // Exited between the listing and the read.
    }
  }
  return pids;
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

/** True while a process with this pid exists (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
