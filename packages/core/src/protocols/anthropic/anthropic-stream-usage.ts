import type { UsageReport } from '../../usage-report';
import { isRecord } from './is-record';
import { readAnthropicUsage } from './read-anthropic-usage';

/**
 * The usage of an Anthropic Messages stream, gathered from its events: `message_start` carries the input counts
 * (and a first output count), each `message_delta` cumulative totals that replace them where sent (a null
 * leaves the earlier count standing). For the pass-through path, which relays the bytes and reads usage on the
 * side, and for the decoder. Events are skipped unparsed unless they can carry usage.
 */
export class AnthropicStreamUsage {
  private usage: Record<string, unknown> | null = null;

  /** Reads one SSE event's data payload; never throws. */
  push(data: string): void {
    if (!data.includes('"message_start"') && !data.includes('"message_delta"')) return;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    if (isRecord(event)) this.readEvent(event);
  }

  /** Reads one event already parsed (the decoder's path). */
  readEvent(event: Record<string, unknown>): void {
    if (event.type === 'message_start' && isRecord(event.message)) this.merge(event.message.usage, true);
    else if (event.type === 'message_delta') this.merge(event.usage, false);
  }

  /** The usage fields as merged so far (Anthropic's shape), null before any. */
  get raw(): Record<string, unknown> | null {
    return this.usage;
  }

  /** The merged usage as a report (see {@link readAnthropicUsage}); null when the stream reported none. */
  report(): UsageReport | null {
    return readAnthropicUsage(this.usage);
  }

  private merge(usage: unknown, replace: boolean): void {
    if (usage === undefined || usage === null) return;
    if (!isRecord(usage)) {
      // Kept as is, so the report says malformed rather than nothing.
      this.usage = { input_tokens: usage };
      return;
    }
    const merged: Record<string, unknown> = replace || this.usage === null ? {} : { ...this.usage };
    for (const [field, value] of Object.entries(usage)) {
      if (value !== null && value !== undefined) merged[field] = value;
    }
    this.usage = merged;
  }
}
