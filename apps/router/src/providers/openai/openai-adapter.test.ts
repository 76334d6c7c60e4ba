import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayReportUsage, openAiAdapter } from './openai-adapter';

describe('openAiAdapter usage', () => {
  it('never throws and returns only non-negative integers, whatever JSON the upstream sends', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (usage, choices) => {
        const body = JSON.stringify({ choices, usage });
        const reports = [
          openAiAdapter.readUsage(JSON.parse(body)),
          openAiAdapter.readStreamEvent(body).usage,
          openAiAdapter.readStreamEvent(body.replace('"usage":', '"usage": ')).usage,
        ];
        for (const report of reports) {
          if (report === null) continue;
          for (const [field, value] of Object.entries(report)) {
            if (field === 'malformed' || value === null) continue;
            expect(Number.isSafeInteger(value) && (value as number) >= 0).toBe(true);
          }
        }
      }),
    );
  });
});

describe('mayReportUsage', () => {
  it('finds `"usage":{` or `"usage": {` anywhere in a chunk, and nothing else', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        '"usage":',
        '"usage": ',
        '"usage":  ',
        '{',
        '}',
        'null',
        ' ',
        '"usage"',
        'usage":{',
        '\\"usage\\":{',
      ),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }), (pieces) => {
        const data = pieces.join('');
        expect(mayReportUsage(data)).toBe(data.includes('"usage":{') || data.includes('"usage": {'));
      }),
      { numRuns: 3_000 },
    );
    expect(mayReportUsage('{"usage":null,"x":{"usage": {"prompt_tokens":1}}}')).toBe(true);
    expect(mayReportUsage('{"usage":null}')).toBe(false);
    expect(mayReportUsage('{"usage":  {}}')).toBe(false);
  });
});
