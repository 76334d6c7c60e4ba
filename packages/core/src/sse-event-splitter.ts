/**
 * Splits a text/event-stream into whole events as chunks arrive. Each returned event keeps its exact
 * text including the blank-line terminator, so forwarding events reproduces the stream byte for byte.
 *
 * Every character is scanned once: the unterminated tail is kept as a list of pieces (never re-joined or
 * re-searched per chunk), and only its last two characters are looked at again, for a terminator split
 * across chunks. So a stream whose event never ends costs linear time, not quadratic. The tail is also
 * capped: once an unterminated event exceeds `maxEventBytes` UTF-8 bytes, it is dropped and {@link tooLarge} is
 * set, so a hostile upstream cannot grow it without bound; the caller treats the stream as broken.
 */
export class SseEventSplitter {
  /** The current unterminated event, in arrival order. */
  private pieces: string[] = [];
  private pendingChars = 0;
  /** UTF-8 bytes of the first `measuredPieces` pieces (decoded text only, counted once the tail may be over the cap). */
  private pendingBytes = 0;
  private measuredPieces = 0;
  /** Set once an event outgrew the cap; nothing more is emitted after that. */
  private overflowed = false;

  /**
   * @param maxEventBytes longest event kept before giving up, in UTF-8 bytes, whichever way the stream is pushed.
   * @param utf8Length null when the bytes are pushed one character each (Latin-1 "wire strings": a character is
   * a byte; the splitter looks only at ASCII CR and LF, which no byte of a multi-byte UTF-8 character can be);
   * given when decoded text is pushed, to count its UTF-8 bytes (the caller's, e.g. Node's `Buffer.byteLength`:
   * core uses no Node API). Called only on a tail that may be over the cap, at most once a piece. A character
   * cut across chunks counts once the decoder hands it over whole.
   */
  constructor(
    private readonly maxEventBytes: number = Number.POSITIVE_INFINITY,
    private readonly utf8Length: ((text: string) => number) | null = null,
  ) {}

  /** True once an event exceeded the cap: the stream is broken (or hostile) and should be abandoned. */
  get tooLarge(): boolean {
    return this.overflowed;
  }

  /** Feeds decoded text; returns the events completed by it (possibly none). */
  push(text: string): string[] {
    const events: string[] = [];
    if (this.overflowed || text.length === 0) return events;
    // A terminator is a line ending followed by an empty line: "\n\n" or "\n\r\n" (so "\r\n\r\n" too). Up
    // to two of its characters may sit at the end of the pending tail.
    const carried = this.pendingChars === 0 ? '' : this.lastChars(2);
    const probe = carried.length === 0 ? text : carried + text;
    const offset = carried.length;
    let eventStart = 0; // index into `text` where the current event's new text begins
    let from = 0; // index into `probe` to search from
    for (;;) {
      const lf = probe.indexOf('\n', from);
      if (lf === -1) break;
      let end = -1;
      const next = probe.charCodeAt(lf + 1);
      if (next === 10) end = lf + 2;
      else if (next === 13 && probe.charCodeAt(lf + 2) === 10) end = lf + 3;
      else if (lf + 1 >= probe.length || (next === 13 && lf + 2 >= probe.length)) break; // maybe next chunk
      if (end === -1) {
        from = lf + 1;
        continue;
      }
      const textEnd = end - offset;
      if (textEnd <= eventStart) {
        // Cannot happen: a terminator ending inside the carried tail would have been found last time.
        from = end;
        continue;
      }
      const fresh = text.slice(eventStart, textEnd);
      if (this.pendingChars > 0) {
        this.pieces.push(fresh);
        events.push(this.pieces.join(''));
        this.dropPending();
      } else events.push(fresh);
      eventStart = textEnd;
      from = end;
    }
    if (eventStart < text.length) {
      const rest = eventStart === 0 ? text : text.slice(eventStart);
      this.pendingChars += rest.length;
      this.pieces.push(rest);
      if (this.pendingOverCap()) {
        this.overflowed = true;
        this.dropPending();
      }
    }
    return events;
  }

  /** Whether the pending tail holds more than `maxEventBytes` UTF-8 bytes. */
  private pendingOverCap(): boolean {
    if (this.pendingChars > this.maxEventBytes) return true; // a character pushed is at least one byte
    // A wire character is one byte. A UTF-16 code unit is at most three UTF-8 bytes (a surrogate pair, two units,
    // is four), so below a third of the cap, as nearly every event is, decoded text is not counted either.
    if (this.utf8Length === null || this.pendingChars * 3 <= this.maxEventBytes) return false;
    for (; this.measuredPieces < this.pieces.length; this.measuredPieces++) {
      this.pendingBytes += this.utf8Length(this.pieces[this.measuredPieces] as string);
    }
    return this.pendingBytes > this.maxEventBytes;
  }

  private dropPending(): void {
    this.pieces = [];
    this.pendingChars = 0;
    this.pendingBytes = 0;
    this.measuredPieces = 0;
  }

  /** Whatever arrived after the last complete event (an unterminated tail). */
  rest(): string {
    return this.pieces.join('');
  }

  /** The last `n` characters of the pending tail (fewer if it is shorter), without joining it. */
  private lastChars(n: number): string {
    let out = '';
    for (let i = this.pieces.length - 1; i >= 0 && out.length < n; i--) {
      const piece = this.pieces[i] as string;
      out = piece.slice(Math.max(0, piece.length - (n - out.length))) + out;
    }
    return out;
  }
}

/**
 * The concatenated `data:` payload of one SSE event, or null when it has none. Lines are found with indexOf rather
 * than `split` (no array of lines per event: this runs for every event of every relayed stream).
 */
export function sseEventData(event: string): string | null {
  let data: string | null = null;
  let start = 0;
  for (;;) {
    const lf = event.indexOf('\n', start);
    const end = lf === -1 ? event.length : lf;
    if (event.startsWith('data:', start)) {
      const lineEnd = end > start + 5 && event.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const valueStart = start + 5 < lineEnd && event.charCodeAt(start + 5) === 32 ? start + 6 : start + 5;
      const value = event.slice(valueStart, lineEnd);
      data = data === null ? value : `${data}\n${value}`;
    }
    if (lf === -1) return data;
    start = lf + 1;
  }
}
