import { describe, expect, it } from 'vitest';
import { isSseEvent } from './is-sse-event';

describe('isSseEvent', () => {
  it('accepts data, event, id and retry fields, comments and CRLF lines', () => {
    expect(isSseEvent('data: {"a":1}\n\n')).toBe(true);
    expect(isSseEvent('data:[DONE]\r\n\r\n')).toBe(true);
    expect(isSseEvent('event: message\nid: 7\nretry: 100\ndata: x\ndata: y\n\n')).toBe(true);
    expect(isSseEvent(': keep-alive\n\n')).toBe(true);
    expect(isSseEvent('data\n\n')).toBe(true);
  });

  it('refuses lines that are no SSE field, though the format itself would ignore them', () => {
    expect(isSseEvent('<html>\n<head><title>Service maintenance</title></head>\n\n')).toBe(false);
    expect(isSseEvent('{"error":{"message":"x"}}\n\n')).toBe(false);
    expect(isSseEvent('Data: x\n\n')).toBe(false);
    expect(isSseEvent('data: ok\nnot a field\n\n')).toBe(false);
  });
});
