import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

/** ppid of every live process, from /proc (Linux). */
function parentMap(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // The command name sits in parentheses and may contain spaces: fields resume after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  return children;
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
  const children = parentMap();
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift() as number;
    out.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

/**
 * The process that does the work under a launcher: `tsx main.ts` is a small node process that spawns the
 * real one (with tsx's loader) as its child, which in turn may run an esbuild service. The deepest node
 * process of the tree is the one serving.
 */
export function workerProcess(pid: number): number {
  const node = realpathSync(process.execPath);
  const isNode = (member: number) => {
    try {
      return readlinkSync(`/proc/${member}/exe`) === node;
    } catch {
      return false;
    }
  };
  return processTree(pid).filter(isNode).at(-1) ?? pid;
}

export function tasksetAvailable(): boolean {
  return spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Pins `pid`, every thread of it and every descendant to `cpus` (a taskset list such as "0" or "1-3"). */
export function pinProcessTree(pid: number, cpus: string): void {
  for (const member of processTree(pid)) pinProcess(member, cpus);
}

/** Pins one process (all its threads), not its children. */
export function pinProcess(pid: number, cpus: string): void {
  const result = spawnSync('taskset', ['-a', '-cp', cpus, String(pid)], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`taskset -a -cp ${cpus} ${pid} failed: ${result.stderr}`);
}

/**
 * Puts `pid`, every thread of it and every descendant under SCHED_IDLE (chrt): they run only when nothing else
 * wants their CPU, and processes they fork later inherit it. False when chrt is missing or refuses.
 */
export function idleProcessTree(pid: number): boolean {
  return processTree(pid).every(
    (member) => spawnSync('chrt', ['-a', '-i', '-p', '0', String(member)], { stdio: 'ignore' }).status === 0,
  );
}

/** Puts `pid`, every thread of it and every descendant back under SCHED_OTHER (undoes idleProcessTree). */
export function normalPriorityTree(pid: number): boolean {
  return processTree(pid).every(
    (member) => spawnSync('chrt', ['-a', '-o', '-p', '0', String(member)], { stdio: 'ignore' }).status === 0,
  );
}

/**
 * The PostgreSQL postmaster listening on `port`, when its command line says so (the embedded server does; a
 * system server configured in postgresql.conf does not, and is left alone).
 */
export function findPostmaster(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args[0]?.endsWith('/postgres')) continue;
    const p = args.indexOf('-p');
    if (p !== -1 && args[p + 1] === String(port)) return Number(entry);
  }
  return null;
}
