import { describe, expect, it } from 'vitest';
import {
  countCompletionTokens,
  countEmbeddingInputTokens,
  countPromptTokens,
  countToolCallTokens,
  countWords,
  messageText,
} from './count-tokens';

describe('countWords', () => {
  it('counts maximal runs of non-whitespace', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('   ')).toBe(0);
    expect(countWords('hi')).toBe(1);
    expect(countWords('  Say\thello\n\nto  the mock ')).toBe(5);
    expect(countWords('non\u00a0breaking\u3000ideographic')).toBe(3);
    expect(countWords('{"location":"mock"}')).toBe(1);
  });
});

describe('messageText', () => {
  it('reads strings, text parts, and nothing else', () => {
    expect(messageText('plain')).toBe('plain');
    expect(
      messageText([
        { type: 'text', text: 'look at' },
        { type: 'image_url', image_url: { url: 'data:' } },
        { type: 'text', text: 'this' },
      ]),
    ).toBe('look at this');
    expect(messageText(null)).toBe('');
    expect(messageText(42)).toBe('');
  });
});

describe('countPromptTokens', () => {
  it('is 3 per message plus the words of every message', () => {
    expect(
      countPromptTokens([
        { content: 'You are terse.' },
        { content: 'Say hello to the mock' },
        { content: null },
        { content: [{ type: 'text', text: 'two words' }] },
      ]),
    ).toBe(3 + 3 + (3 + 5) + 3 + (3 + 2));
    expect(countPromptTokens([])).toBe(0);
  });
});

describe('completion and embedding counts', () => {
  it('counts reply words, tool-call name + arguments words, and embedding inputs', () => {
    expect(countCompletionTokens('Mock reply to: hi — this is a deterministic mock completion.')).toBe(11);
    expect(countToolCallTokens('get_weather', '{"location":"mock"}')).toBe(2);
    expect(countEmbeddingInputTokens('three little words')).toBe(3);
    expect(countEmbeddingInputTokens([1, 2, 3, 4])).toBe(4);
  });
});
