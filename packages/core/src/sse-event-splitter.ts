/**
 * Splits a text/event-stream into whole events as chunks arrive. Each returned event keeps its exact
 * text including the blank-line terminator, so forwarding events reproduces the stream byte for byte.
 */
export class SseEventSplitter {
  private buffer = '';

  /** Feeds decoded text; returns the events completed by it (possibly none). */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n\n', start);
      const crlf = this.buffer.indexOf('\r\n\r\n', start);
      let end: number;
      if (lf === -1 && crlf === -1) break;
      if (crlf !== -1 && (lf === -1 || crlf < lf)) end = crlf + 4;
      else end = lf + 2;
      events.push(this.buffer.slice(start, end));
      start = end;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Whatever arrived after the last complete event (an unterminated tail). */
  rest(): string {
    return this.buffer;
  }
}

/** The concatenated `data:` payload of one SSE event, or null when it has none. */
export function sseEventData(event: string): string | null {
  let data: string | null = null;
  for (const rawLine of event.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (!line.startsWith('data:')) continue;
    const value = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
    data = data === null ? value : `${data}\n${value}`;
  }
  return data;
}
