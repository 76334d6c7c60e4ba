// After `next build`: the standalone server serves static assets (and public/, if any) only from beside itself,
// and `next build` leaves copying them to the deployer.
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dashboardDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverDir = path.join(dashboardDir, '.next', 'standalone', 'apps', 'dashboard');
if (!existsSync(path.join(serverDir, 'server.js'))) {
  console.error(`copy-standalone-assets: ${serverDir}/server.js missing; is output: 'standalone' set?`);
  process.exit(1);
}
cpSync(path.join(dashboardDir, '.next', 'static'), path.join(serverDir, '.next', 'static'), {
  recursive: true,
});
const publicDir = path.join(dashboardDir, 'public');
if (existsSync(publicDir)) cpSync(publicDir, path.join(serverDir, 'public'), { recursive: true });
