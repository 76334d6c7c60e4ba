import fc from 'fast-check';
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

  it('ends an event at a line ending followed by an empty line, whatever mix of LF and CRLF', () => {
    const stream = 'data: 1\n\r\ndata: 2\r\n\ndata: 3\r\n\r\n';
    for (let size = 1; size <= stream.length; size++) {
      const splitter = new SseEventSplitter();
      const events: string[] = [];
      for (let i = 0; i < stream.length; i += size) events.push(...splitter.push(stream.slice(i, i + size)));
      expect(events).toEqual(['data: 1\n\r\n', 'data: 2\r\n\n', 'data: 3\r\n\r\n']);
    }
  });

  it('reads each character once: 64 MB of one event that never ends, in 1 KB chunks, is linear', () => {
    // Rescanning the buffer per chunk (the old splitter) makes this ~10^12 character comparisons (minutes);
    // scanning once it is 64 M, well inside the test's timeout.
    const splitter = new SseEventSplitter();
    const chunk = `data: ${'x'.repeat(1017)}\n`;
    let emitted = 0;
    for (let i = 0; i < 65_536; i++) emitted += splitter.push(chunk).length;
    expect(emitted).toBe(0);
    expect(splitter.rest().length).toBe(65_536 * chunk.length);
    expect(splitter.push('\n')).toHaveLength(1);
    expect(splitter.rest()).toBe('');
  });

  it('gives up on an event longer than its cap, keeps nothing of it and emits nothing more', () => {
    const splitter = new SseEventSplitter(1_000);
    expect(splitter.push('data: ok\n\n')).toEqual(['data: ok\n\n']);
    expect(splitter.tooLarge).toBe(false);
    for (let i = 0; i < 10; i++) splitter.push(`data: ${'y'.repeat(93)}\n`);
    expect(splitter.tooLarge).toBe(false);
    expect(splitter.rest().length).toBe(1_000);
    splitter.push('data: one more line\n');
    expect(splitter.tooLarge).toBe(true);
    expect(splitter.rest()).toBe('');
    expect(splitter.push('\n\ndata: later\n\n')).toEqual([]);
  });

  it('caps decoded text at its UTF-8 bytes, exactly where it caps the same bytes pushed one character each', () => {
    const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', '\n', 'é', '—', '✓', '中', '😀'), maxLength: 80 }), {
          maxLength: 12,
        }),
        fc.integer({ min: 1, max: 200 }),
        (chunks, cap) => {
          const text = new SseEventSplitter(cap, utf8Length);
          const wire = new SseEventSplitter(cap);
          const fromText: string[] = [];
          const fromWire: string[] = [];
          for (const chunk of chunks) {
            fromText.push(...text.push(chunk));
            fromWire.push(...wire.push(Buffer.from(chunk, 'utf8').toString('latin1')));
            expect(text.tooLarge).toBe(wire.tooLarge);
          }
          expect(fromText.map((event) => Buffer.from(event, 'utf8').toString('latin1'))).toEqual(fromWire);
        },
      ),
      { numRuns: 500 },
    );
    // Under the cap in UTF-16 code units (400), over it in bytes (1,200).
    const splitter = new SseEventSplitter(1_000, utf8Length);
    splitter.push(`data: ${'✓'.repeat(394)}`);
    expect(splitter.tooLarge).toBe(true);
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

  it('reads every event as splitting it into lines would, whatever its characters and line endings', () => {
    // The definition, written the obvious way: split into lines, drop one CR before each LF, keep `data:` lines.
    const byLines = (event: string): string | null => {
      let data: string | null = null;
      for (const rawLine of event.split('\n')) {
        const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
        if (!line.startsWith('data:')) continue;
        const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
        data = data === null ? value : `${data}\n${value}`;
      }
      return data;
    };
    const piece = fc.oneof(
      fc.constantFrom(
        'data:',
        'data: ',
        'data',
        ':',
        'event: x',
        ' ',
        '\r',
        '\n',
        '\r\n',
        'é',
        '—',
        '😀',
        '\u00ef\u00bb\u00bf',
      ),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const event = pieces.join('');
        expect(sseEventData(event)).toBe(byLines(event));
      }),
      { numRuns: 2_000 },
    );
  });
});
