import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, freePort } from '@switchyard/db/testing';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runStartScript, type StartScriptRun } from './start-script-under-test';

const BANNER = /Switchyard is running/;

/** What a user does the moment the banner appears: check readiness and paste the curl (here: the SDK). */
async function useAtOnce(routerUrl: string, apiKey: string): Promise<{ readyz: number; chat: string }> {
  const readyz = (await fetch(`${routerUrl}/readyz`)).status;
  const client = new OpenAI({ baseURL: `${routerUrl}/v1`, apiKey, maxRetries: 0 });
  try {
    const answer = await client.chat.completions.create({
      model: 'demo-chat',
      messages: [{ role: 'user', content: 'Hello!' }],
    });
    return { readyz, chat: `200 ${typeof answer.choices[0]?.message.content}` };
  } catch (error) {
    return {
      readyz,
      chat: error instanceof OpenAI.APIError ? `${error.status} ${error.message}` : String(error),
    };
  }
}

// Against the test server's PostgreSQL (DATABASE_URL), without the console: what is under test is the order of
// the router's readiness and the banner, which the console does not take part in.
describe('npm start banner', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  });

  it("prints 'Switchyard is running' and the curl only once the router's /readyz says ready", async () => {
    const db = await createTestDatabase(inject('pgServerUrl'));
    cleanup.push(() => db.drop());
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-start-banner-'));
    await chmod(dataDir, 0o755);
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const [routerPort, mockPort, dashboardPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const routerUrl = `http://127.0.0.1:${routerPort}`;
    const env = {
      DATABASE_URL: db.databaseUrl,
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_MASTER_KEY: randomBytes(32).toString('hex'),
      SWITCHYARD_ADMIN_TOKEN: randomBytes(24).toString('base64url'),
      NEXTAUTH_SECRET: randomBytes(32).toString('base64url'),
      ROUTER_PORT: String(routerPort),
      ROUTER_HOST: '127.0.0.1',
      MOCK_PORT: String(mockPort),
      DASHBOARD_PORT: String(dashboardPort),
      SWITCHYARD_DASHBOARD: 'off',
    };

    // First start: seeds, prints the key and the curl with the banner.
    const first: StartScriptRun = runStartScript(env);
    cleanup.push(() => first.stop('SIGKILL'));
    const apiKeyFrom = () => first.output().match(/demo API key\s+(\S+)/)?.[1] ?? '';
    const atFirstBanner = await first.whenPrinted(BANNER, () => useAtOnce(routerUrl, apiKeyFrom()));
    expect(first.output()).toMatch(/curl http:\/\/localhost:\d+\/v1\/chat\/completions/);
    expect(atFirstBanner).toEqual({ readyz: 200, chat: '200 string' });
    expect(await first.stop('SIGTERM')).toBe(0);

    // Second start with the router held back: its config snapshot cannot load while the routes table is locked,
    // so it listens but /readyz says "starting". The banner must wait for it.
    const lock = new pg.Client({ connectionString: db.databaseUrl });
    await lock.connect();
    cleanup.push(() => lock.end());
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE routes IN ACCESS EXCLUSIVE MODE');
    const second = runStartScript(env);
    cleanup.push(() => second.stop('SIGKILL'));
    const atSecondBanner = second.whenPrinted(BANNER, () => useAtOnce(routerUrl, apiKeyFrom()));
    atSecondBanner.catch(() => {});
    // Today's script printed the banner here, as soon as the router's port opened; the fixed one says it waits.
    const held = await second.waitForOutput(new RegExp(`waiting for /readyz|${BANNER.source}`), 120_000);
    await lock.query('COMMIT');
    expect(held[0]).toMatch(/waiting for \/readyz/);
    expect(await atSecondBanner).toEqual({ readyz: 200, chat: '200 string' });
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 240_000);
});
