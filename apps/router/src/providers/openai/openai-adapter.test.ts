import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openAiAdapter } from './openai-adapter';

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
