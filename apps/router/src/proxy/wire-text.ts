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

/** A byte above 0x7f (in a wire string) or a character beyond ASCII (in text). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The wire string of a chunk of bytes. */
export function wireOf(bytes: Buffer): string {
  return bytes.toString('latin1');
}

/** The text a wire string's bytes encode as UTF-8 (pure ASCII is its own text, the common case: no copy). */
export function wireToText(wire: string): string {
  return NON_ASCII.test(wire) ? Buffer.from(wire, 'latin1').toString('utf8') : wire;
}

/** The wire string of a text's UTF-8 bytes. */
export function textToWire(text: string): string {
  return NON_ASCII.test(text) ? Buffer.from(text, 'utf8').toString('latin1') : text;
}

/** A UTF-8 byte-order mark as a wire string (EF BB BF). */
export const WIRE_BOM = '\u00ef\u00bb\u00bf';
