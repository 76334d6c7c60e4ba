// The first console user of a deployment without `npm start`: `npm run user:create` (compiled, run with node as the
// image runs it) and the migrate service's bootstrap owner, against a real database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrismaClient, type PrismaClient, verifyPassword } from '@switchyard/db';
import { createTestDatabase, type TestDatabase } from '@switchyard/db/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { packageScriptCommand } from './package-script-command';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a root package script's command (`node scripts/dist/….js`) with `args`, `env` and `stdin`. */
function runScript(
  script: 'user:create' | 'db:migrate',
  args: string[],
  env: Record<string, string>,
  stdin = '',
): Promise<{ code: number | null; output: string }> {
  const start = packageScriptCommand(root, script);
  const { SWITCHYARD_USER_PASSWORD: _, ...inherited } = process.env;
  const child = spawn(start.command, [...start.args, ...args], {
    cwd: start.cwd,
    env: { ...inherited, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

/** A migrated database of its own for the describe block that calls this. */
function freshDatabase(): { readonly url: string; readonly prisma: PrismaClient } {
  let db: TestDatabase | undefined;
  let prisma: PrismaClient | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(inject('pgServerUrl'));
    prisma = createPrismaClient(db.databaseUrl);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the database is not set up yet');
    return value;
  };
  return {
    get url() {
      return ready(db).databaseUrl;
    },
    get prisma() {
      return ready(prisma);
    },
  };
}

describe('npm run user:create', () => {
  const database = freshDatabase();

  it('creates a user who can sign in, with the password from standard input, and records it in the audit log', async () => {
    const run = await runScript(
      'user:create',
      ['--email', 'First.Owner@Example.com', '--role', 'owner', '--name', 'First Owner'],
      { DATABASE_URL: database.url },
      'correct horse battery staple\nignored second line\n',
    );
    expect(run.output).toMatch(/created owner first\.owner@example\.com/);
    expect(run.code).toBe(0);
    const user = await database.prisma.user.findUniqueOrThrow({
      where: { email: 'first.owner@example.com' },
    });
    expect([user.role, user.name, user.teamId, user.disabledAt]).toEqual([
      'owner',
      'First Owner',
      null,
      null,
    ]);
    expect(await verifyPassword('correct horse battery staple', user.passwordHash ?? '')).toBe(true);
    const audit = await database.prisma.auditLog.findMany({ where: { targetId: user.id } });
    expect(audit.map((row) => [row.action, row.actorType, row.actorId])).toEqual([
      ['user.create', 'anonymous', 'npm run user:create'],
    ]);
    // The password is in no output.
    expect(run.output).not.toContain('correct horse');
  });

  it('takes the password from SWITCHYARD_USER_PASSWORD; the role defaults to owner', async () => {
    const run = await runScript('user:create', ['--email', 'env@example.com'], {
      DATABASE_URL: database.url,
      SWITCHYARD_USER_PASSWORD: 'from the environment',
    });
    expect(run.code).toBe(0);
    const user = await database.prisma.user.findUniqueOrThrow({ where: { email: 'env@example.com' } });
    expect(user.role).toBe('owner');
    expect(await verifyPassword('from the environment', user.passwordHash ?? '')).toBe(true);
  });

  it('refuses a taken e-mail (any case), naming it, and changes nothing', async () => {
    const before = await database.prisma.user.count();
    const run = await runScript(
      'user:create',
      ['--email', 'FIRST.owner@example.com', '--role', 'viewer'],
      { DATABASE_URL: database.url },
      'another long password\n',
    );
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/first\.owner@example\.com: A user with this e-mail already exists/);
    expect(await database.prisma.user.count()).toBe(before);
  });

  it('refuses a password on the command line, a short password, a bad role or e-mail, with exit 2 and no user', async () => {
    const before = await database.prisma.user.count();
    const env = { DATABASE_URL: database.url };
    const cases: [string[], string, RegExp][] = [
      [['--email', 'a@example.com', '--password', 'long enough password'], '', /--password is refused/],
      [['--email', 'a@example.com'], 'short\n', /password must be at least 12 characters/],
      [
        ['--email', 'a@example.com', '--role', 'root'],
        'long enough password\n',
        /--role must be one of owner/,
      ],
      [['--email', 'not-an-address'], 'long enough password\n', /--email: "not-an-address" is not an e-mail/],
      [[], 'long enough password\n', /--email is required/],
      [['--email', 'a@example.com', '--admin'], 'long enough password\n', /Unknown option '--admin'/],
    ];
    for (const [args, stdin, message] of cases) {
      const run = await runScript('user:create', args, env, stdin);
      expect(run.output, args.join(' ')).toMatch(message);
      expect(run.code, args.join(' ')).toBe(2);
    }
    expect(await database.prisma.user.count()).toBe(before);
  });

  it('names DATABASE_URL when it is missing', async () => {
    const run = await runScript('user:create', ['--email', 'a@example.com'], { DATABASE_URL: '' }, 'x\n');
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/DATABASE_URL: is empty/);
  });
});

describe('db:migrate with SWITCHYARD_BOOTSTRAP_EMAIL and SWITCHYARD_BOOTSTRAP_PASSWORD', () => {
  const database = freshDatabase();

  it('creates the first owner (and nothing else) once; later runs, with other values, leave the users alone', async () => {
    const bootstrap = (email: string, password: string) =>
      runScript('db:migrate', [], {
        DATABASE_URL: database.url,
        SWITCHYARD_BOOTSTRAP_EMAIL: email,
        SWITCHYARD_BOOTSTRAP_PASSWORD: password,
      });
    const first = await bootstrap('Ops@Example.com', 'first owner password');
    expect(first.output).toMatch(/created the first owner, ops@example\.com/);
    expect(first.code).toBe(0);
    const owner = await database.prisma.user.findUniqueOrThrow({ where: { email: 'ops@example.com' } });
    expect(owner.role).toBe('owner');
    expect(await verifyPassword('first owner password', owner.passwordHash ?? '')).toBe(true);
    // Only the owner: no demo provider, route or key in a production database.
    expect([
      await database.prisma.provider.count(),
      await database.prisma.route.count(),
      await database.prisma.apiKey.count(),
    ]).toEqual([0, 0, 0]);

    const again = await bootstrap('someone-else@example.com', 'another password!');
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/console users exist already/);
    expect((await database.prisma.user.findMany()).map((user) => user.email)).toEqual(['ops@example.com']);
    expect(
      await verifyPassword(
        'first owner password',
        (await database.prisma.user.findFirstOrThrow()).passwordHash ?? '',
      ),
    ).toBe(true);
  });

  it('refuses one without the other, or a short password, before migrating, naming the variable', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ SWITCHYARD_BOOTSTRAP_EMAIL: 'a@example.com' }, /SWITCHYARD_BOOTSTRAP_PASSWORD: is needed as well/],
      [
        { SWITCHYARD_BOOTSTRAP_PASSWORD: 'long enough password' },
        /SWITCHYARD_BOOTSTRAP_EMAIL: is needed as well/,
      ],
      [
        { SWITCHYARD_BOOTSTRAP_EMAIL: 'a@example.com', SWITCHYARD_BOOTSTRAP_PASSWORD: 'short' },
        /SWITCHYARD_BOOTSTRAP_PASSWORD: must be at least 12 characters/,
      ],
    ];
    for (const [env, message] of cases) {
      const run = await runScript('db:migrate', [], { DATABASE_URL: database.url, ...env });
      expect(run.output).toMatch(message);
      expect(run.code).toBe(1);
    }
  });

  it('blank values (compose passes unset ones through as empty strings) mean no bootstrap', async () => {
    const run = await runScript('db:migrate', [], {
      DATABASE_URL: database.url,
      SWITCHYARD_BOOTSTRAP_EMAIL: '',
      SWITCHYARD_BOOTSTRAP_PASSWORD: '',
    });
    expect(run.code).toBe(0);
    expect(run.output).not.toMatch(/owner|users exist/);
  });
});
