import { isAscii } from 'node:buffer';
import type { UsageReport } from '@switchyard/core';

/** What reads usage from an answer: a chat adapter or a unary family. */
export interface UsageReader {
  readUsage(body: unknown): UsageReport | null;
}

/**
 * A 2xx non-streaming answer that parsed as a JSON object (else it is the attempt's `invalid_response`), parsed
 * once before anything is sent, and read through two doors only: its usage counts, and its text.
 *
 * An answer relayed as the upstream's bytes (passthrough) is checked on its wire string (`body.toString('latin1')`,
 * one character per byte, see text/wire-text.ts), not on decoded UTF-8: no decode, and V8 parses a one-byte string
 * on its fast path (an em dash in the answer made the decoded text, and its parse, two-byte). The verdict and the
 * structure are those of the text's parse: JSON's syntax is ASCII, and every byte of a multi-byte UTF-8 character
 * (or of an invalid sequence, which decoding turns into U+FFFD without swallowing an ASCII byte) is ≥ 0x80, so such
 * bytes can only sit inside a string, where either parse accepts them. Numbers, booleans, nulls and ASCII keys
 * come out the same. Its non-ASCII strings do not: they are bytes, mixed with whatever `\u` escapes decoded to, and
 * no decoding of them is right in general. Hence no door hands that parse out: usage is read from it by the
 * adapter's `readUsage`, whose result is counts; `text()` parses the decoded body again (only a passthrough answer
 * that is not ASCII, and only when read: the estimate of an answer that reported no usage).
 */
export class AnswerJson {
  private constructor(
    private readonly body: Buffer,
    private json: Record<string, unknown>,
    /** `json` is the wire string's parse (strings are bytes) until `text()` is first read. */
    private onWire: boolean,
  ) {}

  /**
   * The answer parsed, or null when it is not a JSON object. `relayedAsBytes`: the answer goes to the caller as
   * its bytes (passthrough), so it is checked on the wire; else it is translated and parsed as text, once.
   */
  static parse(body: Buffer, relayedAsBytes: boolean): AnswerJson | null {
    const json = jsonObject(body.toString(relayedAsBytes ? 'latin1' : 'utf8'));
    return json === null ? null : new AnswerJson(body, json, relayedAsBytes);
  }

  /** The usage the answer reports, as the adapter reads it (its counts are exact on either parse). */
  usage(reader: UsageReader): UsageReport | null {
    return reader.readUsage(this.json);
  }

  /** The answer with its strings as text: for translating it, and reading its content or image fields. */
  text(): Record<string, unknown> {
    if (this.onWire) {
      // An ASCII body's wire string is its text. Else: the wire parse accepted the body, so its text parses too
      // (`{}`, no text, is never reached).
      if (!isAscii(this.body)) this.json = jsonObject(this.body.toString('utf8')) ?? {};
      this.onWire = false;
    }
    return this.json;
  }
}

/** The string as a JSON object; null when it is not JSON, or JSON but not an object (a chat answer is one). */
function jsonObject(source: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(source);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
