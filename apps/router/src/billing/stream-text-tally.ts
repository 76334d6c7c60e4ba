import type { ProviderAdapter } from '@switchyard/core';
import { countTextTokens } from './token-estimator';

/** Unparsed event data kept before it is folded into text (a typical stream never gets there). */
const FOLD_AT_CHARS = 64 * 1024;
/**
 * Text kept before it is counted and dropped: small enough that one count (a BPE run) is a few ms, so a long
 * stream's counting is spread over it instead of stalling the event loop once at the end.
 */
const COUNT_AT_CHARS = 8 * 1024;

/**
 * The generated text of a stream, tallied as it goes so the output can be estimated when the upstream never
 * reports usage, in bounded memory: the data of content events is kept unparsed (as before, so a stream that
 * does report usage pays nothing extra) until it passes 64 K characters, then folded into text, and text past
 * 200 K characters is counted and dropped. An endless stream therefore holds a few hundred KB at most.
 */
export class StreamTextTally {
  private events: string[] = [];
  private eventChars = 0;
  private text = '';
  private countedTokens = 0;

  constructor(private readonly adapter: ProviderAdapter) {}

  /** The data of one content event (not yet parsed). */
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
    this.countedTokens = 0;
  }

  /** Estimated output tokens of everything added since the last clear. */
  tokens(): number {
    this.fold();
    return this.countedTokens + countTextTokens(this.text);
  }

  private fold(): void {
    if (this.events.length > 0) {
      let text = this.text;
      for (const data of this.events) text += this.adapter.readStreamText(data);
      this.text = text;
      this.events = [];
      this.eventChars = 0;
    }
    if (this.text.length >= COUNT_AT_CHARS) {
      this.countedTokens += countTextTokens(this.text);
      this.text = '';
    }
  }
}
