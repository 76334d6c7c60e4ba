import path from 'node:path';
import { type Proc, ROOT, spawnProcess } from '@switchyard/testkit';
import type { AdminTestContext } from './admin-test-context';

/**
 * The admin API's real route modules served in their own process (test/serve-admin-api.ts), as under
 * `next start` in production mode, over the test context's database.
 */
export async function startAdminApi(
  t: AdminTestContext,
  secrets: { adminToken: string; sessionSecret: string },
): Promise<{ proc: Proc; baseUrl: string }> {
  const { match, proc } = await spawnProcess(
    process.execPath,
    ['--import', 'tsx', 'test/serve-admin-api.ts'],
    {
      cwd: path.join(ROOT, 'apps/dashboard'),
      env: {
        NODE_ENV: 'production',
        DATABASE_URL: t.databaseUrl,
        NEXTAUTH_SECRET: secrets.sessionSecret,
        SWITCHYARD_ADMIN_TOKEN: secrets.adminToken,
        SWITCHYARD_MASTER_KEY: t.masterKey,
      },
      ready: /admin api listening on (http:\/\/\S+)/,
      timeoutMs: 90_000,
      name: 'serve-admin-api',
    },
  );
  return { proc, baseUrl: match[1] as string };
}
