import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readResponsesStreamUsage } from './read-responses-stream-usage';

describe('readResponsesStreamUsage', () => {
  const events = readFileSync(
    new URL('./fixtures/openai-responses-tool-call.sse.txt', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice('data: '.length));

  it('reads usage from the terminal event of a recorded stream and from no other', () => {
    const reports = events.map(readResponsesStreamUsage);
    expect(reports.slice(0, -1).every((report) => report === null)).toBe(true);
    expect(reports[reports.length - 1]).toEqual({
      inputTokens: 74,
      outputTokens: 23,
      totalTokens: 97,
      cachedInputTokens: 0,
      reasoningTokens: 0,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('a text delta that mentions a terminal event name is not one', () => {
    expect(
      readResponsesStreamUsage(
        '{"type":"response.output_text.delta","delta":"\\"response.completed\\"","item_id":"m","output_index":0}',
      ),
    ).toBeNull();
  });

  it('never throws on any data', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .record({
              type: fc.constantFrom('response.completed', 'response.failed', 'x'),
              response: fc.jsonValue(),
            })
            .map((v) => JSON.stringify(v)),
        ),
        (data) => {
          const report = readResponsesStreamUsage(data);
          expect(report === null || typeof report.malformed === 'boolean').toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
