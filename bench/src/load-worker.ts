import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkerReply, WorkerRequest, WorkerResult, WorkerTask } from './load-task';

const ENTRY = fileURLToPath(new URL('./load-worker-main.ts', import.meta.url));

/** The bench process's handle on its load-generator child: one task at a time over IPC. */
export class LoadWorker {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (r: WorkerResult) => void; reject: (e: Error) => void }
  >();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      if (!waiter) return;
      this.waiting.delete(reply.id);
      if ('error' in reply) waiter.reject(new Error(`load generator failed: ${reply.error}`));
      else waiter.resolve(reply.result);
    });
    child.once('exit', (code, signal) => {
      for (const waiter of this.waiting.values()) {
        waiter.reject(new Error(`load generator exited (${code ?? signal}) during a task`));
      }
      this.waiting.clear();
    });
  }

  /** Forks the generator (TypeScript through tsx) and waits until its IPC channel is up. */
  static async start(cwd: string): Promise<LoadWorker> {
    const child = fork(ENTRY, [], {
      cwd,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    return new LoadWorker(child);
  }

  get pid(): number {
    return this.child.pid as number;
  }

  run<T extends WorkerResult>(task: WorkerTask & { kind: T['kind'] }): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (r: WorkerResult) => void, reject });
      this.child.send({ id, task } satisfies WorkerRequest);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
}
