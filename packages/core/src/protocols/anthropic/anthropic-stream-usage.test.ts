import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnthropicStreamUsage } from './anthropic-stream-usage';

const recorded = readFileSync(new URL('./fixtures/message-stream.chunks.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('data: '))
  .map((line) => line.slice(6));

describe('AnthropicStreamUsage', () => {
  it("merges message_start's input counts with message_delta's cumulative output (recorded stream)", () => {
    const usage = new AnthropicStreamUsage();
    for (const data of recorded) usage.push(data);
    expect(usage.report()).toEqual({
      inputTokens: 600,
      outputTokens: 89,
      totalTokens: null,
      cachedInputTokens: 128,
      reasoningTokens: null,
      cacheWriteTokens: 0,
      malformed: false,
    });
  });

  it('takes counts a later message_delta sends, keeps the earlier ones where it sends null', () => {
    const usage = new AnthropicStreamUsage();
    usage.push(
      '{"type":"message_start","message":{"usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":1}}}',
    );
    usage.push(
      '{"type":"message_delta","delta":{},"usage":{"input_tokens":12,"cache_read_input_tokens":null,"output_tokens":7,"output_tokens_details":{"thinking_tokens":3}}}',
    );
    expect(usage.report()).toMatchObject({
      inputTokens: 17,
      cachedInputTokens: 5,
      outputTokens: 7,
      reasoningTokens: 3,
    });
  });

  it('null before any usage; malformed usage is reported as such; never throws', () => {
    const usage = new AnthropicStreamUsage();
    usage.push('{"type":"ping"}');
    expect(usage.report()).toBeNull();
    usage.push('{"type":"message_start","message":{"usage":"lots"}}');
    expect(usage.report()?.malformed).toBe(true);
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.string(),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        ),
        (events) => {
          const u = new AnthropicStreamUsage();
          for (const e of events) u.push(e);
          const report = u.report();
          expect(report === null || typeof report.malformed === 'boolean').toBe(true);
        },
      ),
    );
  });
});
