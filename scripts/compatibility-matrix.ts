// `npm run compat`: runs the conformance tests (apps/router/test/<surface>-surface.*.test.ts) with vitest's JSON
// reporter and writes docs/compatibility.md from the result. `-- --from <report.json>` renders an existing report
// instead of running the tests. The tests need what every integration test needs (TEST_DATABASE_URL or an
// embedded PostgreSQL); they start their own router and mock. Exits 1 when a conformance test failed, after
// writing the matrix that shows it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildMatrix,
  type NotRunClient,
  renderMatrix,
  type VitestJsonReport,
} from './compatibility-matrix-table';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TEST_DIR = 'apps/router/test';
const OUTPUT = path.join(ROOT, 'docs/compatibility.md');

function git(...args: string[]): string {
  const result = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : '';
}

function runConformanceTests(): VitestJsonReport {
  const files = readdirSync(path.join(ROOT, TEST_DIR))
    .filter((name) => /-surface\.[a-z]+\.test\.ts$/.test(name))
    .sort()
    .map((name) => `${TEST_DIR}/${name}`);
  if (files.length === 0) throw new Error(`no ${TEST_DIR}/*-surface.*.test.ts file`);
  console.log(`compat: running ${files.length} conformance files:\n  ${files.join('\n  ')}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-compat-'));
  const reportFile = path.join(dir, 'report.json');
  try {
    const vitest = path.join(ROOT, 'node_modules/vitest/vitest.mjs');
    const run = spawnSync(
      process.execPath,
      [vitest, 'run', '--reporter=json', `--outputFile.json=${reportFile}`, '--reporter=default', ...files],
      { cwd: ROOT, stdio: 'inherit' },
    );
    try {
      return JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport;
    } catch {
      throw new Error(`vitest wrote no report (exit ${run.status})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Python row: the conformance tests are Node's, and the Python `openai` SDK has none here. Said so
 * in the matrix, with whether this machine could even install it, rather than left out silently.
 */
function pythonClient(): NotRunClient {
  const probe = spawnSync('python3', ['-c', 'import openai'], { encoding: 'utf8' });
  return {
    client: 'openai (Python)',
    reason:
      probe.status === 0
        ? 'not run (the Python SDK is installed, but no Python conformance test is written yet)'
        : 'not run here (no Python SDK installable)',
  };
}

try {
  const from = process.argv.indexOf('--from');
  const reportPath = from === -1 ? undefined : process.argv[from + 1];
  const report =
    reportPath === undefined
      ? runConformanceTests()
      : (JSON.parse(readFileSync(reportPath, 'utf8')) as VitestJsonReport);
  const rows = buildMatrix(report);
  const dirty = git('status', '--porcelain') === '' ? '' : ' (with uncommitted changes)';
  const commit = `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty}`;
  const date = new Date(report.startTime ?? Date.now()).toISOString().slice(0, 16).replace('T', ' ');
  writeFileSync(OUTPUT, renderMatrix(rows, { date: `${date} UTC`, commit }, [pythonClient()]));
  const failed = rows.reduce((sum, row) => sum + row.failures.length, 0);
  console.log(`compat: wrote ${path.relative(ROOT, OUTPUT)} (${rows.length} rows, ${failed} failed tests)`);
  process.exit(failed > 0 ? 1 : 0);
} catch (error) {
  console.error(`compat: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
