import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort, queryOnce, waitFor } from '@switchyard/db/testing';
import OpenAI from 'openai';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ENTRIES, isAlive, runStartScript, type StartScriptRun } from './start-script-under-test';

// The default `npm start` shape (embedded PostgreSQL under a data dir), without the console: building and running
// Next.js would cost minutes of CPU and the console is supervised by the same code as the mock provider.
describe('npm start when a child crashes', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  it('restarts a router killed with SIGKILL, then the embedded database, each alone; Ctrl-C still stops everything', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-start-crash-'));
    // As root the database runs as the `postgres` user, which must reach the data dir.
    await chmod(dataDir, 0o755);
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const [routerPort, mockPort, pgPort, dashboardPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const run: StartScriptRun = runStartScript({
      DATABASE_URL: '',
      SWITCHYARD_DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      ROUTER_PORT: String(routerPort),
      ROUTER_HOST: '127.0.0.1',
      MOCK_PORT: String(mockPort),
      DASHBOARD_PORT: String(dashboardPort),
      SWITCHYARD_DASHBOARD: 'off',
    });
    cleanup.push(() => run.stop('SIGKILL'));

    const banner = await run.waitForOutput(/Switchyard is running/, 150_000);
    const apiKey = run.output().match(/demo API key\s+(\S+)/)?.[1] ?? '';
    expect(apiKey).toMatch(/^sk-/);
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    const client = new OpenAI({ baseURL: `${routerUrl}/v1`, apiKey, maxRetries: 0 });
    const chat = () =>
      client.chat.completions.create({ model: 'demo-chat', messages: [{ role: 'user', content: 'Hello!' }] });
    // Independent of when the banner is printed (start.happy.test.ts): serve once before the crash.
    await waitFor(
      'the router to be ready',
      () =>
        fetch(`${routerUrl}/readyz`).then(
          (response) => response.ok,
          () => false,
        ),
      {
        timeoutMs: 60_000,
      },
    );
    expect((await chat()).choices[0]?.message.content).toEqual(expect.any(String));

    const firstRouter = run.childPid(ENTRIES.router);
    const mock = run.childPid(ENTRIES.mock);
    expect(firstRouter).toEqual(expect.any(Number));
    expect(mock).toEqual(expect.any(Number));
    const databaseUrl = `postgresql://postgres:${(await readFile(path.join(dataDir, 'postgres', 'switchyard-password'), 'utf8')).trim()}@127.0.0.1:${pgPort}/switchyard`;

    const beforeCrash = run.output().length;
    process.kill(firstRouter as number, 'SIGKILL');
    await run.waitForOutput(
      /router exited unexpectedly \(SIGKILL\); restarting in 0\.5 s/,
      10_000,
      beforeCrash,
    );
    const secondRouter = await waitFor(
      'a new router process',
      () => {
        if (run.child.exitCode !== null) throw new Error(`npm start exited:\n${run.output()}`);
        const pid = run.childPid(ENTRIES.router);
        return pid !== undefined && pid !== firstRouter && pid;
      },
      { timeoutMs: 30_000, intervalMs: 50 },
    );
    await run.waitForOutput(/router is ready again/, 60_000, beforeCrash);
    const answer = await chat();
    expect(answer.choices[0]?.message.content).toEqual(expect.any(String));
    expect(isAlive(firstRouter as number)).toBe(false);
    expect(isAlive(secondRouter)).toBe(true);
    // The crash took nothing else with it: same mock process, the database answers, the supervisor runs on.
    expect(run.childPid(ENTRIES.mock)).toBe(mock);
    expect(
      await queryOnce<{ users: string }>(databaseUrl, 'SELECT count(*)::text AS users FROM users'),
    ).toEqual([{ users: '1' }]);
    expect(run.child.exitCode).toBe(null);
    expect(run.output().slice(banner.index ?? 0)).not.toMatch(/stopping everything|stopping PostgreSQL/);

    // The database crashes: it is restarted; the router and the mock are not (the router rides out the outage).
    const postmasterPid = async () =>
      Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const firstPostgres = await postmasterPid();
    const beforeDatabaseCrash = run.output().length;
    process.kill(firstPostgres, 'SIGKILL');
    await run.waitForOutput(
      /PostgreSQL exited unexpectedly \(SIGKILL\); restarting it in 0\.5 s/,
      10_000,
      beforeDatabaseCrash,
    );
    await run.waitForOutput(/PostgreSQL is back/, 90_000, beforeDatabaseCrash);
    expect(await postmasterPid()).not.toBe(firstPostgres);
    expect(
      await queryOnce<{ users: string }>(databaseUrl, 'SELECT count(*)::text AS users FROM users'),
    ).toEqual([{ users: '1' }]);
    expect(run.childPid(ENTRIES.router)).toBe(secondRouter);
    expect(run.childPid(ENTRIES.mock)).toBe(mock);
    expect((await chat()).choices[0]?.message.content).toEqual(expect.any(String));

    // A second crash within a minute waits twice as long (1 s). Ctrl-C during that wait: everything stops and the
    // pending restart never happens.
    const beforeStop = run.output().length;
    const stopped = run.whenPrinted(/router exited unexpectedly \(SIGKILL\); restarting in 1 s/, () =>
      run.stop('SIGINT'),
    );
    process.kill(secondRouter, 'SIGKILL');
    expect(await stopped).toBe(0);
    const stopping = run.output().slice(beforeStop);
    expect(stopping).toMatch(/SIGINT received, shutting down/);
    expect(stopping).toMatch(/stopping PostgreSQL/);
    expect(stopping).not.toMatch(/router restarted/);
    expect(isAlive(mock as number)).toBe(false);
    await expect(fetch(`${routerUrl}/readyz`)).rejects.toThrow();
    await expect(queryOnce(databaseUrl, 'SELECT 1')).rejects.toThrow();
  }, 240_000);

  /** `npm start` against the test server's PostgreSQL, without the console, with `env` on top. */
  const startAgainstTestDatabase = async (env: Record<string, string>) => {
    const db = await createTestDatabase(inject('pgServerUrl'));
    cleanup.push(() => db.drop());
    const run = runStartScript({
      DATABASE_URL: db.databaseUrl,
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
      SWITCHYARD_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      ROUTER_PORT: String(await freePort()),
      ROUTER_HOST: '127.0.0.1',
      MOCK_PORT: String(await freePort()),
      SWITCHYARD_DASHBOARD: 'off',
      ...env,
    });
    cleanup.push(() => run.stop('SIGKILL'));
    const exitCode = await new Promise<number | null>((resolve) => run.child.once('exit', resolve));
    return { exitCode, output: run.output() };
  };

  it('stops everything when the router dies on its first start (a configuration error a restart would repeat)', async () => {
    const { exitCode, output } = await startAgainstTestDatabase({ ROUTER_MAX_ATTEMPTS: 'many' });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/ROUTER_MAX_ATTEMPTS/);
    expect(output).toMatch(/router exited before it was ready \(exit code 1\); stopping everything/);
    expect(output).not.toMatch(/restarting|Switchyard is running/);
  }, 120_000);

  it('refuses to start when a port is taken, rather than count the other process as its child being ready', async () => {
    const squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => squatter.close(resolve)));
    const address = squatter.address();
    const takenPort = String(typeof address === 'object' && address ? address.port : 0);
    const { exitCode, output } = await startAgainstTestDatabase({ MOCK_PORT: takenPort });
    expect(exitCode).toBe(1);
    expect(output).toMatch(new RegExp(`MOCK_PORT ${takenPort} is already in use by another process`));
    expect(output).not.toMatch(/restarting|Switchyard is running/);
  }, 120_000);
});
