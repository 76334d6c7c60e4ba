import { describe, expect, it } from 'vitest';
import { buildMatrix, renderMatrix, type VitestJsonReport } from './compatibility-matrix-table';

const test = (describeTitle: string, title: string, status = 'passed') => ({
  ancestorTitles: [describeTitle],
  title,
  status,
});

const REPORT: VitestJsonReport = {
  testResults: [
    {
      name: '/repo/apps/router/test/openai-chat-surface.happy.test.ts',
      assertionResults: [
        test('openai SDK × openai-compatible', 'non-stream: whole answer'),
        test('openai SDK × openai-compatible', 'stream: chunks'),
        test('openai SDK × openai-compatible', 'usage: a row'),
        test('openai SDK × openai-compatible', 'credential: not a cell'),
        test('openai SDK × azure-openai', 'failover: 503 then 200', 'failed'),
      ],
    },
    {
      name: '/repo/apps/router/test/openai-chat-surface.error.test.ts',
      assertionResults: [
        test('openai SDK × openai-compatible', 'stream: broken mid-way', 'failed'),
        test('openai SDK × openai-compatible', 'tools: skipped', 'skipped'),
      ],
    },
    {
      name: '/repo/apps/router/test/anthropic-messages-surface.happy.test.ts',
      assertionResults: [test('@anthropic-ai/sdk × openai-compatible', 'bad-model: NotFoundError')],
    },
    {
      // Not a conformance file: its tests are no cells even when named like one.
      name: '/repo/apps/router/test/chat-completions.happy.test.ts',
      assertionResults: [test('openai SDK × openai-compatible', 'tools: round trip')],
    },
  ],
};

describe('buildMatrix', () => {
  it('makes one row per surface × client × upstream; a cell fails if any of its tests failed', () => {
    const rows = buildMatrix(REPORT);
    expect(rows.map((r) => [r.surface, r.client, r.upstream])).toEqual([
      ['anthropic-messages', '@anthropic-ai/sdk', 'openai-compatible'],
      ['openai-chat', 'openai SDK', 'azure-openai'],
      ['openai-chat', 'openai SDK', 'openai-compatible'],
    ]);
    const compatible = rows[2];
    expect(compatible?.cells).toEqual({
      'non-stream': 'pass',
      stream: 'fail',
      tools: 'none',
      usage: 'pass',
      'bad-model': 'none',
      failover: 'none',
      passthrough: 'none',
    });
    expect(compatible?.failures).toEqual(['stream: broken mid-way']);
    expect(rows[1]?.cells.failover).toBe('fail');
    expect(rows[0]?.cells['bad-model']).toBe('pass');
  });
});

describe('buildMatrix of a file that failed outside its tests', () => {
  it('fails the cells of the tests it skipped, naming why', () => {
    const rows = buildMatrix({
      testResults: [
        {
          name: '/repo/apps/router/test/gemini-surface.translated.test.ts',
          status: 'failed',
          assertionResults: [
            test('@google/genai × anthropic', 'non-stream: answered', 'skipped'),
            test('@google/genai × anthropic', 'usage: a row', 'pending'),
          ],
        },
      ],
    });
    expect(rows[0]?.cells['non-stream']).toBe('fail');
    expect(rows[0]?.cells.usage).toBe('fail');
    expect(rows[0]?.failures).toEqual([
      'non-stream: answered (not run: its file failed)',
      'usage: a row (not run: its file failed)',
    ]);
  });

  it('leaves a skipped test of a passing file as no test', () => {
    const rows = buildMatrix({
      testResults: [
        {
          name: '/repo/apps/router/test/gemini-surface.happy.test.ts',
          status: 'passed',
          assertionResults: [test('@google/genai × gemini', 'tools: skipped here', 'skipped')],
        },
      ],
    });
    expect(rows[0]?.cells.tools).toBe('none');
  });
});

describe('renderMatrix', () => {
  it('writes the table with the run date and commit, and lists what failed', () => {
    const text = renderMatrix(buildMatrix(REPORT), { date: '2026-12-06', commit: 'abc1234' });
    expect(text).toContain('Run: 2026-12-06, commit `abc1234`.');
    expect(text).toContain(
      '| surface | client × upstream | non-stream | stream | tools | usage | bad-model | failover | passthrough |',
    );
    expect(text).toContain('| openai-chat | openai SDK × openai-compatible | ✅ | ❌ | — | ✅ | — | — | — |');
    expect(text).toContain('| openai-chat | openai SDK × azure-openai | — | — | — | — | — | ❌ | — |');
    expect(text).toContain('- openai-chat, openai SDK × azure-openai: failover: 503 then 200');
  });

  it('lists the clients that could not run, with the reason', () => {
    const text = renderMatrix(buildMatrix(REPORT), { date: 'd', commit: 'c' }, [
      { client: 'openai (Python)', reason: 'not run here (no Python SDK installable)' },
    ]);
    expect(text).toContain(
      '## Not run\n\n- openai (Python) × every upstream: not run here (no Python SDK installable).\n',
    );
    expect(renderMatrix([], { date: 'd', commit: 'c' })).not.toContain('## Not run');
  });

  it('says so when no conformance test ran', () => {
    expect(renderMatrix([], { date: 'd', commit: 'c' })).toContain('No conformance test ran.');
  });
});
