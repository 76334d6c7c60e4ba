// The embedded PostgreSQL of `npm start`, restarted with backoff if it dies. While it is away the router serves
// from its last config snapshot and keeps usage in its spill file, and the console's queries fail; both reconnect
// on their own once it is back, so neither is stopped or restarted for it.

import {
  type EmbeddedPostgres,
  type StartEmbeddedPostgresOptions,
  startEmbeddedPostgres,
} from '@switchyard/db';
import { RestartBackoff } from './restart-backoff';

export interface SupervisedDatabaseHooks {
  say: (message: string) => void;
  complain: (message: string) => void;
}

export class SupervisedDatabase {
  private readonly backoff = new RestartBackoff();
  private stopping = false;
  private restartTimer: NodeJS.Timeout | undefined;
  /** A restart in progress, awaited by `stop()` so no server is left running behind us. */
  private restarting: Promise<void> | undefined;

  private constructor(
    private server: EmbeddedPostgres,
    private readonly options: StartEmbeddedPostgresOptions,
    private readonly hooks: SupervisedDatabaseHooks,
  ) {
    this.watch(server);
  }

  /** Starts the server (a failure here is thrown: the first start is not retried) and supervises it. */
  static async start(
    options: StartEmbeddedPostgresOptions,
    hooks: SupervisedDatabaseHooks,
  ): Promise<SupervisedDatabase> {
    return new SupervisedDatabase(await startEmbeddedPostgres(options), options, hooks);
  }

  /** Stable across restarts: same data directory, port and password. */
  get connectionString(): string {
    return this.server.connectionString;
  }

  /** Stops the server, and any restart under way, for good. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    await this.restarting;
    await this.server.stop();
  }

  private watch(server: EmbeddedPostgres): void {
    this.backoff.started();
    // Accepting connections is ready: startEmbeddedPostgres resolves only then.
    this.backoff.ready(Date.now());
    void server.exited.then((how) => {
      if (this.stopping) return;
      this.scheduleRestart(`PostgreSQL exited unexpectedly (${how})`);
    });
  }

  private scheduleRestart(reason: string): void {
    const delay = this.backoff.crashed(Date.now());
    this.hooks.complain(
      `${reason}; restarting it in ${delay / 1000} s (meanwhile the router serves from its last config)`,
    );
    this.restartTimer = setTimeout(() => {
      this.restarting = this.restart().finally(() => {
        this.restarting = undefined;
      });
    }, delay);
  }

  private async restart(): Promise<void> {
    if (this.stopping) return;
    let server: EmbeddedPostgres;
    try {
      server = await startEmbeddedPostgres(this.options);
    } catch (error) {
      if (!this.stopping) {
        this.backoff.started();
        this.scheduleRestart(`PostgreSQL did not start: ${error instanceof Error ? error.message : error}`);
      }
      return;
    }
    this.server = server;
    if (this.stopping) return;
    this.hooks.say('PostgreSQL is back');
    this.watch(server);
  }
}
