import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readResponsesStreamText, readResponsesText } from './read-responses-text';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('readResponsesText / readResponsesStreamText', () => {
  it('read the same generated text from a recorded stream and from its final response', () => {
    const datas = fixture('openai-responses-tool-call.sse.txt')
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => line.slice('data: '.length));
    const streamed = datas.map(readResponsesStreamText).join('');
    expect(streamed).toBe('Checking now.get_weather{"city":"Paris"}');
    const completed = JSON.parse(datas[datas.length - 1] ?? '{}') as { response: unknown };
    expect(readResponsesText(completed.response)).toBe(streamed);
    expect(readResponsesText(JSON.parse(fixture('openai-response-reasoning.json')))).toBe('The answer is');
  });

  it('never throw', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (value, data) => {
        expect(typeof readResponsesText(value)).toBe('string');
        expect(typeof readResponsesStreamText(JSON.stringify(value) ?? '')).toBe('string');
        expect(typeof readResponsesStreamText(data)).toBe('string');
      }),
      { numRuns: 1000 },
    );
  });
});
