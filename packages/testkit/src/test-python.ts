import { spawnSync } from 'node:child_process';

/** The one variable naming the Python the tests run Python SDK code with (e.g. a virtualenv's `bin/python`). */
export const TEST_PYTHON_VARIABLE = 'SWITCHYARD_TEST_PYTHON';

/** A Python that can run the code under test, or why there is none (said in the names of the skipped tests). */
export type TestPython = { ok: true; command: string } | { ok: false; reason: string };

/**
 * The Python named by SWITCHYARD_TEST_PYTHON, if it can run `imports` (e.g. `import openai`). Unset or unusable
 * is not an error: the tests that need it are skipped with `reason` in their names, never passed. `what` names
 * the missing packages in that reason ("no Python with openai").
 */
export function testPython(imports: string, what: string): TestPython {
  const command = process.env[TEST_PYTHON_VARIABLE]?.trim();
  if (!command) return { ok: false, reason: `no Python with ${what}: ${TEST_PYTHON_VARIABLE} is unset` };
  const probe = spawnSync(command, ['-c', imports], { encoding: 'utf8', timeout: 60_000 });
  if (probe.status === 0) return { ok: true, command };
  const why =
    probe.error?.message ??
    probe.stderr.trim().split('\n').at(-1) ??
    `exit ${probe.status ?? probe.signal ?? 'unknown'}`;
  return { ok: false, reason: `no Python with ${what}: ${TEST_PYTHON_VARIABLE}=${command} fails (${why})` };
}

/** The title of a test that runs only with a Python: as given when it runs, saying why not when skipped. */
export function pythonTestTitle(python: TestPython, title: string): string {
  return python.ok ? title : `${title} — not run (${python.reason})`;
}
