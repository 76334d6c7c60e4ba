import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashPassword } from '@switchyard/db';
import { freePort, startTestPostgres } from '@switchyard/db/testing';
import { buildRuntime, type Proc, spawnPackage, startStack } from '@switchyard/testkit';

export const ADMIN = { email: 'e2e-admin@switchyard.local', password: 'e2e-password-1234' };
export const OIDC_CLIENT = { id: 'switchyard-e2e', secret: 'e2e-oidc-client-secret' };

/**
 * What the router, the mock provider and the dashboard print during the run lands here, one file each, as they
 * print it (gitignored; CI keeps them as artifacts): the router's log is the only record of what it did with a
 * failing spec's requests (a usage write that failed, a row set aside), and it dies with the process otherwise.
 */
const STACK_LOGS = join(dirname(fileURLToPath(import.meta.url)), 'stack-logs');

/** Copies what `proc` printed so far and everything it prints from now on to `stack-logs/<name>.log`. */
function keepOutput(name: string, proc: Proc): WriteStream {
  mkdirSync(STACK_LOGS, { recursive: true });
  const file = createWriteStream(join(STACK_LOGS, `${name}.log`));
  file.write(proc.output());
  const write = (chunk: Buffer) => file.write(chunk);
  proc.child.stdout?.on('data', write);
  proc.child.stderr?.on('data', write);
  return file;
}

/**
 * The whole system for the browser tests: PostgreSQL, mock provider, router, and the built dashboard
 * (its standalone server, by the dashboard's `start` script as in the image), with an admin user. URLs reach the tests through process.env.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  buildRuntime();
  const pg = await startTestPostgres();
  const stack = await startStack(pg.serverUrl);
  await stack.prisma.user.create({
    data: {
      id: 'usr_e2eadmin',
      email: ADMIN.email,
      passwordHash: await hashPassword(ADMIN.password),
      role: 'owner',
    },
  });
  const port = await freePort();
  const dashboardUrl = `http://127.0.0.1:${port}`;
  // The OIDC spec starts its test issuer on this port; the dashboard reads the issuer's discovery at sign-in.
  const oidcPort = await freePort();
  const { proc: dashboard } = await spawnPackage(
    'apps/dashboard',
    {
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: stack.databaseUrl,
      NEXTAUTH_SECRET: 'e2e-session-secret-not-for-production',
      NEXTAUTH_URL: dashboardUrl,
      SWITCHYARD_MASTER_KEY: stack.masterKey,
      ROUTER_PUBLIC_URL: stack.routerUrl,
      // The mock provider listens on loopback, which the egress policy refuses unless allowed.
      SWITCHYARD_EGRESS_ALLOW: '127.0.0.1,localhost',
      OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
      OIDC_CLIENT_ID: OIDC_CLIENT.id,
      OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
      OIDC_NAME: 'Test IdP',
    },
    /Ready in|started server|Local:/i,
    60_000,
  );
  const logs = [
    keepOutput('router', stack.router),
    keepOutput('mock-provider', stack.mock),
    keepOutput('dashboard', dashboard),
  ];
  process.env.E2E_DASHBOARD_URL = dashboardUrl;
  process.env.E2E_ROUTER_URL = stack.routerUrl;
  process.env.E2E_ADMIN_EMAIL = ADMIN.email;
  process.env.E2E_ADMIN_PASSWORD = ADMIN.password;
  process.env.E2E_MODEL = 'chat-small';
  process.env.E2E_MOCK_ORIGIN = stack.mockOrigin;
  process.env.E2E_OIDC_PORT = String(oidcPort);
  process.env.E2E_OIDC_CLIENT_ID = OIDC_CLIENT.id;
  process.env.E2E_OIDC_CLIENT_SECRET = OIDC_CLIENT.secret;
  return async () => {
    await dashboard.stop();
    await stack.stop();
    await pg.stop();
    await Promise.all(logs.map((file) => new Promise((resolve) => file.end(resolve))));
  };
}
