import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anthropicCountTokensText } from './anthropic-count-tokens-text';
import request from './fixtures/message-request.json';

describe('anthropicCountTokensText', () => {
  it('collects system, message text, tool calls and results, and tool definitions', () => {
    const result = anthropicCountTokensText(request);
    if (!result.ok) throw new Error(result.error.message);
    const text = result.value;
    for (const piece of [
      'You are a weather assistant. Answer briefly.',
      'What is the weather in San Francisco? Here is the sky:',
      "I'll look up the current weather in San Francisco.",
      'get_weather',
      '{"location":"San Francisco, CA","unit":"celsius"}',
      '15 degrees, fog',
      '09:41',
      'Thanks. Should I bring a jacket?',
      'Get the current time in a time zone',
      '"required":["location"]',
    ]) {
      expect(text).toContain(piece);
    }
    // Image data is not text.
    expect(text).not.toContain('iVBORw0KGgo');
  });

  it('is invalid_request for a body without messages; never throws', () => {
    const result = anthropicCountTokensText({ model: 'm' });
    expect(!result.ok && [result.error.code, result.error.param]).toEqual(['invalid_request', 'messages']);
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.record({ role: fc.string(), content: fc.jsonValue() })),
        (body, messages) => {
          expect(typeof anthropicCountTokensText(body).ok).toBe('boolean');
          expect(typeof anthropicCountTokensText({ messages, system: body, tools: [body] }).ok).toBe(
            'boolean',
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
