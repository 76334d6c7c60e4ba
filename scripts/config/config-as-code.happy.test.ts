import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_ROUTE_POLICIES } from '@switchyard/core';
import { createCredentialCipher, parseMasterKey } from '@switchyard/db';
import {
  createTestDatabase,
  getTestPostgresServerUrl,
  queryOnce,
  type TestDatabase,
} from '@switchyard/db/testing';
import { type Proc, ROOT, spawnProcess } from '@switchyard/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { packageScriptCommand } from '../package-script-command';
import { type AdminClient, createAdminClient } from './admin-client';

const ADMIN_TOKEN = 'config-test-admin-token-0123456789';
const OPENAI_CREDENTIAL = 'sk-upstream-openai-secret-000111';
const ANTHROPIC_CREDENTIAL = 'sk-ant-upstream-secret-222333';

interface Gateway {
  url: string;
  database: TestDatabase;
  proc: Proc;
  client: AdminClient;
}

const masterKey = randomBytes(32).toString('hex');
let source: Gateway;
let target: Gateway;
let dir: string;

/** A fresh database behind the admin API's real route handlers (apps/dashboard/test/serve-admin-api.ts). */
async function startGateway(): Promise<Gateway> {
  const database = await createTestDatabase(await getTestPostgresServerUrl());
  const { proc, match } = await spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'test/serve-admin-api.ts'],
    {
      cwd: path.join(ROOT, 'apps/dashboard'),
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: database.databaseUrl,
        NEXTAUTH_SECRET: randomBytes(32).toString('hex'),
        SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN,
        SWITCHYARD_MASTER_KEY: masterKey,
      },
      ready: /admin api listening on (http:\/\/\S+)/,
      timeoutMs: 60_000,
      name: 'serve-admin-api',
    },
  );
  const url = match[1] as string;
  return { url, database, proc, client: createAdminClient({ baseUrl: url, token: ADMIN_TOKEN }) };
}

/**
 * Runs `npm run config -- …` as an operator would: the root `config` script (compiled JavaScript; the global setup
 * compiled it), its own process.
 */
const CONFIG_SCRIPT = packageScriptCommand(ROOT, 'config');
async function config(gateway: Gateway, args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      CONFIG_SCRIPT.command,
      [...CONFIG_SCRIPT.args, ...args],
      {
        cwd: CONFIG_SCRIPT.cwd,
        env: { ...process.env, SWITCHYARD_URL: gateway.url, SWITCHYARD_ADMIN_TOKEN: ADMIN_TOKEN, ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface Named {
  id: string;
  name: string;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'switchyard-config-'));
  [source, target] = await Promise.all([startGateway(), startGateway()]);

  // The source installation, configured through the admin API as an operator would.
  const api = source.client;
  const openai = await api.post<Named>('/providers', {
    name: 'openai-main',
    kind: 'openai',
    baseUrl: 'https://api.openai.com/v1/',
  });
  const anthropic = await api.post<Named>('/providers', {
    name: 'anthropic',
    kind: 'anthropic',
    baseUrl: 'https://api.anthropic.com',
    enabled: false,
  });
  const primary = await api.post<Named>('/accounts', {
    providerId: openai.id,
    name: 'primary',
    credential: OPENAI_CREDENTIAL,
    weight: 3,
    healthCheck: { enabled: true, intervalMs: 15_000 },
  });
  const claude = await api.post<Named>('/accounts', {
    providerId: anthropic.id,
    name: 'team account',
    credential: ANTHROPIC_CREDENTIAL,
    priority: 2,
  });
  const team = await api.post<Named>('/teams', { name: 'research', rpmLimit: 600 });
  const key = await api.post<{ key: Named }>('/keys', {
    name: 'research-bot',
    environment: 'staging',
    allowedModels: ['chat', 'chat-backup'],
    tags: ['research'],
    allowedTrafficClasses: ['background', 'evaluation'],
    tpmLimit: 50_000,
  });
  await api.patch(`/keys/${key.key.id}`, { teamId: team.id });
  await api.post('/routes', {
    publicModel: 'chat-backup',
    targets: [{ accountId: claude.id, upstreamModel: 'claude-sonnet-4-5' }],
  });
  await api.post('/routes', {
    publicModel: 'chat',
    aliases: ['gpt'],
    description: 'The default chat model',
    backupModels: ['chat-backup'],
    policies: { background: { ...DEFAULT_ROUTE_POLICIES.background, maxAttempts: 2 } },
    breaker: { consecutiveFailures: 3 },
    missingPricePolicy: 'block',
    targets: [
      { accountId: primary.id, upstreamModel: 'gpt-4o', weight: 2 },
      { accountId: claude.id, upstreamModel: 'claude-sonnet-4-5', tier: 1 },
    ],
  });
  await api.post('/budgets', {
    name: 'research monthly',
    scope: 'team',
    scopeId: team.id,
    period: 'monthly',
    limitUsd: '250',
  });
  await api.post('/budgets', {
    name: 'bot daily',
    scope: 'key',
    scopeId: key.key.id,
    period: 'daily',
    limitUsd: '5.5',
    mode: 'soft',
  });
  await api.post('/budgets', { name: 'everything', scope: 'global', period: 'total', limitUsd: '10000.00' });
  await api.post('/prices', {
    providerId: openai.id,
    model: 'gpt-4o',
    effectiveFrom: '2026-01-01',
    input: '2.00',
    output: '8.00',
  });
}, 180_000);

afterAll(async () => {
  for (const gateway of [source, target]) {
    await gateway?.proc.stop();
    await gateway?.database.drop();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

const credentialEnv = {
  SWITCHYARD_CREDENTIAL_OPENAI_MAIN_PRIMARY: OPENAI_CREDENTIAL,
  SWITCHYARD_CREDENTIAL_ANTHROPIC_TEAM_ACCOUNT: ANTHROPIC_CREDENTIAL,
};

describe('config as code: export, then apply onto a fresh database', () => {
  let exported: string;

  it('exports names and environment references, never ids or credentials', async () => {
    const result = await config(source, ['export']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    exported = result.stdout;
    await writeFile(path.join(dir, 'switchyard.yaml'), exported);
    expect(exported).not.toContain(OPENAI_CREDENTIAL);
    expect(exported).not.toContain(ANTHROPIC_CREDENTIAL);
    expect(exported).not.toMatch(/\b(prv|acc|rt|team|key|bud|tgt)_[A-Za-z0-9]{6,}/);
    const document = parse(exported);
    expect(document.providers.find((p: { name: string }) => p.name === 'openai-main')).toMatchObject({
      name: 'openai-main',
      baseUrl: 'https://api.openai.com/v1',
      accounts: [
        { name: 'primary', credential: '$'.concat('{SWITCHYARD_CREDENTIAL_OPENAI_MAIN_PRIMARY}'), weight: 3 },
      ],
    });
    expect(document.keys).toEqual([
      expect.objectContaining({ name: 'research-bot', team: 'research', environment: 'staging' }),
    ]);
    expect(
      document.budgets.map((b: { name: string; scopeName: string | null }) => [b.name, b.scopeName]),
    ).toEqual(
      expect.arrayContaining([
        ['research monthly', 'research'],
        ['bot daily', 'research-bot'],
        ['everything', null],
      ]),
    );
  });

  it('shows the whole file as creations in a dry run, and writes nothing', async () => {
    const result = await config(target, ['apply', path.join(dir, 'switchyard.yaml')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('+ provider openai-main\n');
    expect(result.stdout).toContain('+ account anthropic/team account\n');
    expect(result.stdout).toContain('+ route chat\n');
    expect(result.stdout).toContain('+ price openai-main/gpt-4o@2026-01-01T00:00:00.000Z\n');
    expect(result.stdout).toMatch(/Plan: 12 to create, 0 to change\.\nDry run: nothing was changed/);
    expect((await target.client.get<{ items: unknown[] }>('/providers')).items).toEqual([]);
  });

  it('refuses to apply while a credential variable is unset, before any write', async () => {
    const result = await config(target, ['apply', path.join(dir, 'switchyard.yaml'), '--yes'], {
      SWITCHYARD_CREDENTIAL_OPENAI_MAIN_PRIMARY: OPENAI_CREDENTIAL,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'environment variable SWITCHYARD_CREDENTIAL_ANTHROPIC_TEAM_ACCOUNT is not set',
    );
    expect((await target.client.get<{ items: unknown[] }>('/providers')).items).toEqual([]);
  });

  it('applies with --yes; the second installation then exports the same file and a new diff is empty', async () => {
    const keysFile = path.join(dir, 'new-keys.env');
    const applied = await config(
      target,
      ['apply', path.join(dir, 'switchyard.yaml'), '--yes', '--new-keys-file', keysFile],
      credentialEnv,
    );
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Applied.\n');
    expect(await readFile(keysFile, 'utf8')).toMatch(/^research-bot=sk-\S+\n$/);

    const again = await config(target, ['apply', path.join(dir, 'switchyard.yaml')]);
    expect(again.stdout).toBe('No changes: the gateway matches the file.\n');
    expect((await config(target, ['export'])).stdout).toBe(exported);

    // The credential went from the environment to the second database, encrypted.
    const rows = await queryOnce<{ credential_ciphertext: string }>(
      target.database.databaseUrl,
      `select a.credential_ciphertext from upstream_accounts a where a.name = 'team account'`,
    );
    const cipher = createCredentialCipher(parseMasterKey(masterKey));
    expect(rows.map((row) => cipher.decrypt(row.credential_ciphertext))).toEqual([ANTHROPIC_CREDENTIAL]);
  });

  it('shows exactly a changed field in the diff, and --yes applies it keeping target ids', async () => {
    const document = parse(exported);
    document.teams[0].rpmLimit = 1200;
    const chat = document.routes.find((route: { publicModel: string }) => route.publicModel === 'chat');
    chat.enabled = false;
    chat.targets[1].weight = 4;
    // The same price row, written by hand: a date for the instant, fewer decimals. Not a change.
    Object.assign(document.prices[0], { effectiveFrom: '2026-01-01', input: '2', output: '8.0' });
    const file = path.join(dir, 'changed.yaml');
    await writeFile(file, stringify(document));
    const before = await target.client.get<{ items: { publicModel: string; targets: { id: string }[] }[] }>(
      '/routes',
    );
    const targetIds = before.items.find((route) => route.publicModel === 'chat')?.targets.map((t) => t.id);

    const dryRun = await config(target, ['apply', file]);
    const targets = (weight: number) =>
      JSON.stringify([
        {
          account: 'anthropic/team account',
          enabled: true,
          tier: 1,
          upstreamModel: 'claude-sonnet-4-5',
          weight,
        },
        { account: 'openai-main/primary', enabled: true, tier: 0, upstreamModel: 'gpt-4o', weight: 2 },
      ]);
    expect(dryRun.stdout).toBe(
      [
        '~ team research',
        '    rpmLimit: 600 → 1200',
        '~ route chat',
        '    enabled: true → false',
        `    targets: ${targets(1)} → ${targets(4)}`,
        'Plan: 0 to create, 2 to change.',
        'Dry run: nothing was changed. Run again with --yes to apply.',
        '',
      ].join('\n'),
    );

    const applied = await config(target, ['apply', file, '--yes']);
    expect(applied.stdout).toContain('updated team research\nupdated route chat\nApplied.\n');
    const after = await target.client.get<{
      items: { publicModel: string; enabled: boolean; targets: { id: string; weight: number }[] }[];
    }>('/routes');
    const route = after.items.find((r) => r.publicModel === 'chat');
    expect(route?.enabled).toBe(false);
    expect(route?.targets.map((t) => t.id)).toEqual(targetIds);
    expect(route?.targets.map((t) => t.weight).sort()).toEqual([2, 4]);
    expect((await target.client.get<{ items: { rpmLimit: number }[] }>('/teams')).items[0]?.rpmLimit).toBe(
      1200,
    );
    expect((await config(target, ['apply', file])).stdout).toBe(
      'No changes: the gateway matches the file.\n',
    );
  });
});

describe('the OpenAPI document over HTTP', () => {
  it('is served at /api/admin/v1/openapi.json without a credential, equal to docs/openapi.json', async () => {
    const res = await fetch(`${source.url}/api/admin/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual(
      JSON.parse(await readFile(path.join(ROOT, 'docs/openapi.json'), 'utf8')),
    );
    // Every other admin path still wants the admin token.
    expect((await fetch(`${source.url}/api/admin/v1/providers`)).status).toBe(401);
  });
});
