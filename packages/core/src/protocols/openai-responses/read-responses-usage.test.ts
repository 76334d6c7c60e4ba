import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readResponsesStreamUsage } from './read-responses-stream-usage';
import { readResponsesUsage } from './read-responses-usage';

describe('readResponsesUsage', () => {
  it('reads input (with its cached part), output (with its reasoning part) and the total', () => {
    expect(
      readResponsesUsage({
        input_tokens: 1200,
        input_tokens_details: { cached_tokens: 1024 },
        output_tokens: 40,
        output_tokens_details: { reasoning_tokens: 36 },
        total_tokens: 1240,
      }),
    ).toEqual({
      inputTokens: 1200,
      outputTokens: 40,
      totalTokens: 1240,
      cachedInputTokens: 1024,
      reasoningTokens: 36,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('reads cache_write_tokens when sent; absent usage is null; unreadable counts mark it malformed', () => {
    expect(
      readResponsesUsage({
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 2, cache_write_tokens: 5 },
        output_tokens: 1,
      })?.cacheWriteTokens,
    ).toBe(5);
    expect(readResponsesUsage(undefined)).toBeNull();
    expect(readResponsesUsage(null)).toBeNull();
    expect(readResponsesUsage('12')?.malformed).toBe(true);
    expect(readResponsesUsage({ input_tokens: '12', output_tokens: 3 })).toMatchObject({
      inputTokens: null,
      outputTokens: 3,
      malformed: true,
    });
    expect(
      readResponsesUsage({ input_tokens: 1, output_tokens: 1, input_tokens_details: [] })?.malformed,
    ).toBe(true);
    expect(readResponsesUsage({ input_tokens: 1.5, output_tokens: -1 })).toMatchObject({
      inputTokens: null,
      outputTokens: null,
      malformed: true,
    });
  });

  it('never throws on any value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({
            input_tokens: fc.jsonValue(),
            input_tokens_details: fc.jsonValue(),
            output_tokens_details: fc.jsonValue(),
          }),
        ),
        (value) => {
          const report = readResponsesUsage(value);
          expect(report === null || typeof report.malformed === 'boolean').toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

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
