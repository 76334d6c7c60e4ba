/**
 * "Wire strings": an upstream's bytes held as a string of one character per byte (Latin-1), so a relayed stream
 * is split, checked and written back (`res.write(wire, 'latin1')`) as its exact bytes, without decoding UTF-8 and
 * encoding it again. V8 keeps such a string one byte per character, so its searches and splits take the fast
 * one-byte paths whatever the text holds (a decoded em dash makes the whole chunk a two-byte string).
 *
 * Exact for SSE: its delimiters (CR, LF, `:`) are ASCII, and no byte of a UTF-8 multi-byte sequence is below
 * 0x80, so an event boundary found in the wire string is one in the bytes, and never falls inside a character.
 * Text is decoded only where it is read (an event's data, for the adapter and the text tally).
 */

/**
 * No byte above 0x7f (in a wire string), no character beyond ASCII (in text): each character is then one UTF-8 byte.
 * Node counts UTF-8 bytes with SIMD, ~4× faster than testing `/[\u0080-\uffff]/` on a typical event; this runs for
 * every event of every relayed stream.
 */
function isAscii(value: string): boolean {
  return Buffer.byteLength(value, 'utf8') === value.length;
}

/** The wire string of a chunk of bytes. */
export function wireOf(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** The text a wire string's bytes encode as UTF-8 (pure ASCII is its own text, the common case: no copy). */
export function wireToText(wire: string): string {
  return isAscii(wire) ? wire : Buffer.from(wire, 'latin1').toString('utf8');
}

/** The wire string of a text's UTF-8 bytes. */
export function textToWire(text: string): string {
  return isAscii(text) ? text : Buffer.from(text, 'utf8').toString('latin1');
}

/** A UTF-8 byte-order mark as a wire string (EF BB BF). */
export const WIRE_BOM = '\u00ef\u00bb\u00bf';
