import { describe, expect, it } from 'vitest';
import { workerScript } from './worker-script';

describe('workerScript', () => {
  it('compiled: the JavaScript entry beside the bundle, loaded as a file with no loader', () => {
    const script = workerScript('file:///app/apps/router/dist/router.js', 'usage-writer-worker');
    expect(script.eval).toBe(false);
    expect(String(script.filename)).toBe('file:///app/apps/router/dist/usage-writer-worker.js');
  });

  it('from source: the TypeScript entry beside the caller, through tsx', () => {
    const script = workerScript(
      'file:///repo/apps/router/src/usage/usage-writer-thread.ts',
      'usage-writer-worker',
    );
    expect(script.eval).toBe(true);
    expect(String(script.filename)).toContain('"file:///repo/apps/router/src/usage/usage-writer-worker.ts"');
    expect(String(script.filename)).toContain('tsImport');
  });
});
