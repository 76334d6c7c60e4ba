import { describe, expect, it } from 'vitest';
import { SseEventSplitter, sseEventData } from './sse-event-splitter';

describe('SseEventSplitter', () => {
  it('emits whole events across arbitrary chunk boundaries, byte for byte', () => {
    const stream = 'data: {"a":1}\n\ndata: {"b":2}\r\n\r\n: comment\ndata: [DONE]\n\n';
    for (let size = 1; size <= stream.length; size++) {
      const splitter = new SseEventSplitter();
      const events: string[] = [];
      for (let i = 0; i < stream.length; i += size) events.push(...splitter.push(stream.slice(i, i + size)));
      expect(events.join('')).toBe(stream);
      expect(events).toHaveLength(3);
      expect(splitter.rest()).toBe('');
    }
  });

  it('keeps an unterminated tail', () => {
    const splitter = new SseEventSplitter();
    expect(splitter.push('data: 1\n\ndata: 2')).toEqual(['data: 1\n\n']);
    expect(splitter.rest()).toBe('data: 2');
  });
});

describe('sseEventData', () => {
  it('joins data lines and ignores comments and other fields', () => {
    expect(sseEventData('event: x\ndata: {"a":\ndata:1}\n\n')).toBe('{"a":\n1}');
    expect(sseEventData(': ping\n\n')).toBeNull();
    expect(sseEventData('data: [DONE]\r\n\r\n')).toBe('[DONE]');
  });
});
