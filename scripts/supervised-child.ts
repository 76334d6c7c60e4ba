// One long-running child of `npm start` (router, mock provider, console) under supervision: started, watched
// until it serves, restarted with backoff when it dies, stopped without a restart when we stop.

import type { ChildProcess } from 'node:child_process';
import type { ReadinessProbe } from './readiness-probe';
import { RestartBackoff, type RestartBackoffOptions } from './restart-backoff';
import { spawnWithPrefix } from './spawn-with-prefix';

/** How often a started child is asked whether it serves, until it does. */
const PROBE_INTERVAL_MS = 100;

export interface SupervisedChildOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Put before each line the child prints. */
  prefix: string;
  probe: ReadinessProbe;
  /** A start that has not become ready after this long is reported (and still waited for). */
  slowStartMs: number;
  backoff?: RestartBackoffOptions;
  say: (message: string) => void;
  complain: (message: string) => void;
  /**
   * The child cannot be supervised: it could not be spawned, or its first start died before it was ready (a
   * configuration error, which a restart would only repeat).
   */
  onFatal: (message: string, exitCode: number) => void;
}

export class SupervisedChild {
  /** Resolves true the first time the child serves; false if it is stopped or fails before that. */
  readonly firstReady: Promise<boolean>;
  private resolveFirstReady: (ready: boolean) => void = () => {};
  private readonly backoff: RestartBackoff;
  private child: ChildProcess | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private everReady = false;

  constructor(private readonly options: SupervisedChildOptions) {
    this.backoff = new RestartBackoff(options.backoff);
    this.firstReady = new Promise((resolve) => {
      this.resolveFirstReady = resolve;
    });
  }

  start(): void {
    this.launch();
  }

  /** SIGTERM, then SIGKILL after `graceMs`; a pending restart is cancelled and none follows. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.resolveFirstReady(false);
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (!child || !isRunning(child)) return;
    await new Promise<void>((resolve) => {
      const killTimer = setTimeout(() => {
        this.options.complain(`${this.options.name} did not stop within ${graceMs / 1000} s; killing it`);
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(killTimer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** Immediate SIGKILL, no restart (a second Ctrl-C). */
  kill(): void {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    this.child?.kill('SIGKILL');
  }

  private launch(): void {
    const { name, command, args, cwd, env, prefix } = this.options;
    const restart = this.everReady;
    const child = spawnWithPrefix(command, args, { cwd, env, prefix });
    this.child = child;
    this.backoff.started();
    if (restart) this.options.say(`${name} restarted (pid ${child.pid})`);
    child.once('error', (error) => {
      if (this.stopping) return;
      this.stopping = true;
      this.resolveFirstReady(false);
      this.options.onFatal(`${name} could not be started: ${error.message}`, 1);
    });
    child.once('exit', (code, signal) => this.exited(child, code, signal));
    void this.watchReadiness(child);
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child === child) this.child = undefined;
    if (this.stopping) return;
    const how = signal ?? `exit code ${code}`;
    const { name } = this.options;
    if (!this.everReady) {
      this.stopping = true;
      this.resolveFirstReady(false);
      this.options.onFatal(
        `${name} exited before it was ready (${how}); stopping everything`,
        code === null || code === 0 ? 1 : code,
      );
      return;
    }
    const delay = this.backoff.crashed(Date.now());
    this.options.complain(`${name} exited unexpectedly (${how}); restarting in ${delay / 1000} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping) this.launch();
    }, delay);
  }

  /** Polls the probe until this start of the child serves, dies, or we stop. */
  private async watchReadiness(child: ChildProcess): Promise<void> {
    const { name, probe, slowStartMs } = this.options;
    const startedAt = Date.now();
    let reportedWaiting = false;
    let reportedSlow = false;
    while (!this.stopping && this.child === child && isRunning(child)) {
      const readiness = await probe();
      if (this.stopping || this.child !== child || !isRunning(child)) return;
      if (readiness.ready) {
        this.backoff.ready(Date.now());
        if (this.everReady) this.options.say(`${name} is ready again`);
        this.everReady = true;
        this.resolveFirstReady(true);
        return;
      }
      if (readiness.waitingFor !== undefined && !reportedWaiting) {
        reportedWaiting = true;
        this.options.say(`${name} is up; waiting for ${readiness.waitingFor}`);
      }
      if (!reportedSlow && Date.now() - startedAt > slowStartMs) {
        reportedSlow = true;
        this.options.complain(
          `${name} is not ready after ${slowStartMs / 1000} s; still waiting (see its log above)`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS));
    }
  }
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}
