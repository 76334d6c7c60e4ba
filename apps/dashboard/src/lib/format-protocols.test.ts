import { describe, expect, it } from 'vitest';
import { formatProtocols } from './format-protocols';

describe('formatProtocols', () => {
  it.each([
    ['openai-chat', 'anthropic-messages', 'openai-chat → anthropic-messages'],
    ['openai-chat', 'openai-chat', 'openai-chat'],
    ['anthropic-messages', null, 'anthropic-messages → —'],
    [null, null, '—'],
    [null, 'openai-chat', '— → openai-chat'],
  ])('%s and %s read %s', (surface, upstreamProtocol, expected) => {
    expect(formatProtocols(surface, upstreamProtocol)).toBe(expected);
  });
});
