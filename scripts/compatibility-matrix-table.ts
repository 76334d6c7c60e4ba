// The pure half of `npm run compat`: a vitest JSON report (Jest's shape) in, docs/compatibility.md out.
// Conformance tests name themselves `describe('<client> × <upstream>')` / `it('<cell>: …')`, in files
// `apps/router/test/<surface>-surface.*.test.ts`; that naming is the whole contract with this file.

/** The matrix's columns, in order: the cells every surface × upstream pair is tested for (issue 13). */
export const MATRIX_CELLS = [
  'non-stream',
  'stream',
  'tools',
  'usage',
  'bad-model',
  'failover',
  'passthrough',
] as const;

export type MatrixCell = (typeof MATRIX_CELLS)[number];

/**
 * What a cell shows: every test of it passed, one failed, its tests were skipped because the row's client could
 * not run here (`not-run`), or there is none (or none that ran).
 */
export type CellResult = 'pass' | 'fail' | 'not-run' | 'none';

/** The part of vitest's `--reporter=json` output read here. */
export interface VitestJsonReport {
  startTime?: number;
  testResults: {
    /** Absolute path of the test file. */
    name: string;
    /** `failed` when a test or the file itself failed (a `beforeAll` that threw leaves its tests skipped). */
    status?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string }[];
  }[];
}

export interface MatrixRow {
  /** From the file name: `openai-chat` for `openai-chat-surface.happy.test.ts`. */
  surface: string;
  client: string;
  upstream: string;
  cells: Record<MatrixCell, CellResult>;
  /** Titles of this row's failed tests, for the list under the table. */
  failures: string[];
  /**
   * Why the row's client could not run, when every test of the row was skipped saying so in its title
   * (`… — not run (no Python with openai: …)`); such a row shows as not run, never as passed or as never written.
   */
  notRun?: string;
}

const SURFACE_FILE = /(?:^|\/)([a-z0-9-]+)-surface\.[a-z]+\.test\.ts$/;
const CELL_TITLE = new RegExp(`^(${MATRIX_CELLS.join('|')}):`);
const PAIR = /^(.+?)\s+×\s+(.+)$/;
/** How a test skipped because its client cannot run here names the reason at the end of its title. */
const NOT_RUN_TITLE = /\bnot run \((.+)\)$/;
const SKIPPED = new Set(['skipped', 'pending', 'todo']);

/** The rows a report's conformance tests make, ordered by surface, client, upstream. Other tests are ignored. */
export function buildMatrix(report: VitestJsonReport): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  const notRunReasons = new Map<MatrixRow, string>();
  for (const file of report.testResults) {
    const surface = SURFACE_FILE.exec(file.name.replaceAll('\\', '/'))?.[1];
    if (surface === undefined) continue;
    // A file that failed outside its tests (its stack did not start) skipped them: they did not pass, so their
    // cells fail rather than read as never written.
    const fileFailed = file.status === 'failed';
    for (const test of file.assertionResults) {
      const cell = CELL_TITLE.exec(test.title)?.[1] as MatrixCell | undefined;
      const pair = test.ancestorTitles.map((title) => PAIR.exec(title)).find((match) => match !== null);
      if (cell === undefined || pair == null) continue;
      const client = (pair[1] as string).trim();
      const upstream = (pair[2] as string).trim();
      const key = `${surface}\u0000${client}\u0000${upstream}`;
      let row = rows.get(key);
      if (row === undefined) {
        const cells = Object.fromEntries(MATRIX_CELLS.map((c) => [c, 'none'])) as Record<
          MatrixCell,
          CellResult
        >;
        row = { surface, client, upstream, cells, failures: [] };
        rows.set(key, row);
      }
      if (test.status === 'failed' || (fileFailed && test.status !== 'passed')) {
        row.cells[cell] = 'fail';
        row.failures.push(test.status === 'failed' ? test.title : `${test.title} (not run: its file failed)`);
      } else if (test.status === 'passed' && row.cells[cell] !== 'fail') row.cells[cell] = 'pass';
      else if (SKIPPED.has(test.status)) {
        const reason = NOT_RUN_TITLE.exec(test.title)?.[1];
        if (reason !== undefined && row.cells[cell] === 'none') {
          row.cells[cell] = 'not-run';
          notRunReasons.set(row, reason);
        }
      }
    }
  }
  for (const [row, reason] of notRunReasons) {
    // Only a row none of whose tests ran is not run as a whole; otherwise its skipped cells read as no test.
    if (Object.values(row.cells).every((result) => result === 'not-run' || result === 'none'))
      row.notRun = reason;
    else for (const cell of MATRIX_CELLS) if (row.cells[cell] === 'not-run') row.cells[cell] = 'none';
  }
  return [...rows.values()].sort(
    (a, b) =>
      a.surface.localeCompare(b.surface) ||
      a.client.localeCompare(b.client) ||
      a.upstream.localeCompare(b.upstream),
  );
}

const MARK: Record<CellResult, string> = { pass: '✅', fail: '❌', 'not-run': '⏭', none: '—' };

/**
 * docs/compatibility.md: the matrix, when and at which commit it was run, the rows it could not run and why, and
 * what failed.
 */
export function renderMatrix(rows: readonly MatrixRow[], run: { date: string; commit: string }): string {
  const lines = [
    '# Compatibility matrix',
    '',
    'Generated by `npm run compat` (scripts/compatibility-matrix.ts) from a run of the conformance tests,',
    '`apps/router/test/<surface>-surface.*.test.ts`: each row is a client (an official SDK) calling the router on one',
    'inbound surface, served by one upstream kind (the mock provider speaking it); each column a cell of issue 13.',
    'Do not edit by hand: run `npm run compat` again.',
    '',
    `Run: ${run.date}, commit \`${run.commit}\`.`,
    '',
    `| surface | client × upstream | ${MATRIX_CELLS.join(' | ')} |`,
    `| --- | --- | ${MATRIX_CELLS.map(() => ':---:').join(' | ')} |`,
  ];
  for (const row of rows) {
    const marks = MATRIX_CELLS.map((cell) => MARK[row.cells[cell]]);
    const pair = `${row.client} × ${row.upstream}${row.notRun === undefined ? '' : ' (not run)'}`;
    lines.push(`| ${row.surface} | ${pair} | ${marks.join(' | ')} |`);
  }
  if (rows.length === 0) lines.push('', 'No conformance test ran.');
  lines.push(
    '',
    '✅ every test of the cell passed · ❌ a test of the cell failed · ⏭ not run here (the client is missing; see',
    '"Not run") · — no test of the cell (not applicable, or not written yet).',
    '',
    'Cells: **non-stream** the answer comes back whole; **stream** text arrives in several chunks and adds up to the',
    'answer; **tools** a tool call and its result round-trip; **usage** one usage row with the reported tokens, the',
    "cost at the price in force, the surface and the upstream's protocol; **bad-model** the SDK's own error class,",
    '404, with the request id; **failover** the primary target answers 503 and another serves (the caller gets 200);',
    '**passthrough** a field the gateway does not know reaches a same-protocol upstream unchanged.',
  );
  const notRun = rows.filter((row) => row.notRun !== undefined);
  if (notRun.length > 0) {
    lines.push('', '## Not run', '');
    for (const row of notRun)
      lines.push(`- ${row.surface}, ${row.client} × ${row.upstream}: not run (${row.notRun}).`);
  }
  const failed = rows.filter((row) => row.failures.length > 0);
  if (failed.length > 0) {
    lines.push('', '## Failed in this run', '');
    for (const row of failed) {
      for (const title of row.failures)
        lines.push(`- ${row.surface}, ${row.client} × ${row.upstream}: ${title}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
