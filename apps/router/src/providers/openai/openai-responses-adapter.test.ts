import { readFileSync } from 'node:fs';
import { sseEventData } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { tagResponseIdsInText } from '../../surfaces/openai-responses/tagged-response-id';
import { openAiResponsesAdapter as adapter } from './openai-responses-adapter';

/** OpenAI's recorded Responses shapes, kept beside core's translators. */
const FIXTURES = new URL(
  '../../../../../packages/core/src/protocols/openai-responses/fixtures/',
  import.meta.url,
);
const events = readFileSync(new URL('openai-responses-tool-call.sse.txt', FIXTURES), 'utf8')
  .split('\n\n')
  .filter((event) => event.trim().length > 0)
  .map((event) => `${event}\n\n`);

describe('openai-responses adapter on OpenAI recorded shapes', () => {
  it('reads usage from the terminal event of a stream, which alone ends it', () => {
    const infos = events.map((event) => adapter.readStreamEvent(sseEventData(event) ?? ''));
    expect(infos.filter((info) => info.done)).toHaveLength(1);
    expect(infos.at(-1)).toMatchObject({
      done: true,
      usageOnly: false,
      usage: { inputTokens: 74, outputTokens: 23, totalTokens: 97, cachedInputTokens: 0, malformed: false },
    });
    const text = events.map((event) => adapter.readStreamText(sseEventData(event) ?? '')).join('');
    expect(text.length).toBeGreaterThan(0);
  });

  it('reads a complete response: usage with its cached and reasoning parts', () => {
    const body: unknown = JSON.parse(
      readFileSync(new URL('openai-response-reasoning.json', FIXTURES), 'utf8'),
    );
    expect(adapter.readUsage(body)).toEqual({
      inputTokens: 1200,
      outputTokens: 40,
      totalTokens: 1240,
      cachedInputTokens: 1024,
      reasoningTokens: 36,
      cacheWriteTokens: null,
      malformed: false,
    });
  });

  it('a relayed stream with tagged ids is the same stream but for the response ids', () => {
    for (const event of events) {
      const tagged = tagResponseIdsInText(event, 'tgt-1');
      const before = JSON.parse(sseEventData(event) ?? '{}');
      const after = JSON.parse(sseEventData(tagged) ?? '{}');
      if (before.response) {
        expect(after.response.id).toBe(`resp_tgt-1_${before.response.id.slice(5)}`);
        after.response.id = before.response.id;
      }
      expect(after).toEqual(before);
      expect(tagged.split('\n')[0]).toBe(event.split('\n')[0]);
    }
  });
});
