import type { ProviderAdapter } from '@switchyard/core';
import { wireToText } from '../text/wire-text';
import { countTokensOffThread } from './token-count-thread';

/** Unparsed event data kept before it is folded into text (a typical stream never gets there). */
const FOLD_AT_CHARS = 64 * 1024;
/**
 * Text kept before it is handed to the counting thread and dropped, so a long stream's counting is spread over
 * it (and its text not held here). Counted in the same slices as before, so the sums are unchanged.
 */
const COUNT_AT_CHARS = 8 * 1024;

/**
 * The generated text of a stream, tallied as it goes so the output can be estimated when the upstream never
 * reports usage, in bounded memory: the data of content events is kept unparsed (as before, so a stream that
 * does report usage pays nothing extra) until it passes 64 K characters, then folded into text, and text past
 * 8 K characters is sent to the counting thread (`countTokensOffThread`) and dropped. An endless stream
 * therefore holds a few hundred KB at most here, and the router's event loop never runs the BPE. A relay that
 * reads the stream as bytes (wire strings, see text/wire-text.ts) hands the data over as such, decoded only when
 * folded: a stream that reports usage never decodes its content at all.
 */
export class StreamTextTally {
  private events: string[] = [];
  private eventChars = 0;
  private text = '';
  /** The sum of the slices sent to the counting thread so far (never rejects). */
  private counted: Promise<number> = Promise.resolve(0);

  /** @param wire the data added is a wire string (its UTF-8 bytes, one character each), not text. */
  constructor(
    private readonly adapter: ProviderAdapter,
    private readonly wire = false,
  ) {}

  /** The data of one content event (not yet parsed), as text or as a wire string (see the constructor). */
  add(data: string): void {
    this.events.push(data);
    this.eventChars += data.length;
    if (this.eventChars >= FOLD_AT_CHARS) this.fold();
  }

  /** The upstream reported usage: nothing needs estimating, forget what was kept. */
  clear(): void {
    this.events = [];
    this.eventChars = 0;
    this.text = '';
    this.counted = Promise.resolve(0);
  }

  /** Estimated output tokens of everything added since the last clear. */
  tokens(): Promise<number> {
    this.fold();
    const rest = countTokensOffThread([this.text]);
    return Promise.all([this.counted, rest]).then(([counted, last]) => counted + last);
  }

  private fold(): void {
    if (this.events.length > 0) {
      let text = this.text;
      for (const data of this.events)
        text += this.adapter.readStreamText(this.wire ? wireToText(data) : data);
      this.text = text;
      this.events = [];
      this.eventChars = 0;
    }
    if (this.text.length >= COUNT_AT_CHARS) {
      const slice = countTokensOffThread([this.text]);
      this.counted = Promise.all([this.counted, slice]).then(([counted, tokens]) => counted + tokens);
      this.text = '';
    }
  }
}
