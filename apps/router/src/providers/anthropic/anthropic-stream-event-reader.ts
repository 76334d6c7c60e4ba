import { AnthropicStreamUsage, isTypeErrorEvent, type StreamEventInfo } from '@switchyard/core';

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const DONE: StreamEventInfo = { usage: null, usageOnly: false, done: true };
const ERROR: StreamEventInfo = { usage: null, usageOnly: false, done: false, error: true };

/** `message_stop` ends the stream; read without parsing (compact and spaced JSON alike). */
const MESSAGE_STOP = /"type"\s*:\s*"message_stop"/;

/**
 * Reads one Anthropic Messages stream, event by event: usage is split between `message_start` (input counts)
 * and `message_delta` (cumulative output, sometimes input too), so each of those events reports the usage
 * merged so far (core `AnthropicStreamUsage`), the output only once a `message_delta` said it; `message_stop`
 * is the end; an `error` event is the upstream's own failure report. Anthropic has no usage-only event to drop.
 * Other events are not parsed. Never throws.
 */
export function anthropicStreamEventReader(): (data: string) => StreamEventInfo {
  const usage = new AnthropicStreamUsage();
  let delta = false;
  return (data) => {
    const start = data.includes('"message_start"');
    if (start || data.includes('"message_delta"')) {
      usage.push(data);
      if (!start) delta = true;
      const report = usage.report();
      if (report === null) return NOTHING;
      // message_start's output count is a placeholder (1): until a message_delta reports the real one, the output
      // stays unknown, so a stream broken before it is estimated from the text that reached the caller.
      return { usage: delta ? report : { ...report, outputTokens: null }, usageOnly: false, done: false };
    }
    if (MESSAGE_STOP.test(data)) return DONE;
    return isTypeErrorEvent(data) ? ERROR : NOTHING;
  };
}
