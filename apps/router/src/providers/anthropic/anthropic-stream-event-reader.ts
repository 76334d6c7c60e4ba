import { AnthropicStreamUsage, type StreamEventInfo } from '@switchyard/core';

const NOTHING: StreamEventInfo = { usage: null, usageOnly: false, done: false };
const DONE: StreamEventInfo = { usage: null, usageOnly: false, done: true };

/** `message_stop` ends the stream; read without parsing (compact and spaced JSON alike). */
const MESSAGE_STOP = /"type"\s*:\s*"message_stop"/;

/**
 * Reads one Anthropic Messages stream, event by event: usage is split between `message_start` (input counts)
 * and `message_delta` (cumulative output, sometimes input too), so each of those events reports the usage
 * merged so far (core `AnthropicStreamUsage`); `message_stop` is the end. Anthropic has no usage-only event to
 * drop. Other events are not parsed. Never throws.
 */
export function anthropicStreamEventReader(): (data: string) => StreamEventInfo {
  const usage = new AnthropicStreamUsage();
  return (data) => {
    if (data.includes('"message_start"') || data.includes('"message_delta"')) {
      usage.push(data);
      const report = usage.report();
      return report === null ? NOTHING : { usage: report, usageOnly: false, done: false };
    }
    return MESSAGE_STOP.test(data) ? DONE : NOTHING;
  };
}
