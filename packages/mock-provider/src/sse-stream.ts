import type { ServerResponse } from 'node:http';
import { type CompletionMeta, openAiUsage, SYSTEM_FINGERPRINT } from './chat-completion';
import { isGone } from './http-io';
import type { ChatReply } from './plan-chat-reply';

/** The terminating SSE event. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** Tool-call arguments are streamed in slices of this many characters. */
export const ARGUMENT_SLICE_CHARS = 8;

/**
 * The `chat.completion.chunk` SSE events for a reply, each a complete `data: …\n\n` string, without the
 * final `[DONE]`:
 * 1. the role (`{"role":"assistant","content":""}`, or for a tool call the call's index, id, type, name and
 *    empty arguments),
 * 2. one event per word (the words after the first carry their leading space), or the arguments in
 *    8-character slices,
 * 3. an empty delta with `finish_reason`,
 * 4. with `includeUsage`, a chunk with `choices: []` and the usage, or `usageOverride` when given (all other chunks then carry
 *    `"usage": null`, as OpenAI's do).
 *
 * Built from string templates around one JSON-encoded prefix: this runs per request in benchmarks.
 */
export function buildChatChunks(
  reply: ChatReply,
  meta: CompletionMeta,
  includeUsage: boolean,
  /** Reported instead of the real usage (the `usage` fault); `undefined` reports the real one. */
  usageOverride?: unknown,
): string[] {
  const head = `data: {"id":"${meta.id}","object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[`;
  const tail = includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const event = (delta: string, finishReason: string | null = null) =>
    `${head}{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : `"${finishReason}"`}}]${tail}`;

  const events: string[] = [];
  if (reply.kind === 'text') {
    events.push(event('{"role":"assistant","content":"","refusal":null}'));
    for (let i = 0; i < reply.words.length; i++) {
      const word = reply.words[i]!;
      events.push(event(`{"content":${JSON.stringify(i === 0 ? word : ` ${word}`)}}`));
    }
  } else {
    events.push(
      event(
        `{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"${meta.toolCallId}","type":"function","function":{"name":${JSON.stringify(reply.name)},"arguments":""}}],"refusal":null}`,
      ),
    );
    for (let at = 0; at < reply.arguments.length; at += ARGUMENT_SLICE_CHARS) {
      const slice = reply.arguments.slice(at, at + ARGUMENT_SLICE_CHARS);
      events.push(event(`{"tool_calls":[{"index":0,"function":{"arguments":${JSON.stringify(slice)}}}]}`));
    }
  }
  events.push(event('{}', reply.finishReason));
  if (includeUsage) {
    const usage = usageOverride === undefined ? openAiUsage(reply.usage) : usageOverride;
    events.push(`${head}],"usage":${JSON.stringify(usage)}}\n\n`);
  }
  return events;
}

/** Timing and failure of one stream. */
export interface StreamPlan {
  ttftMs: number;
  chunkGapMs: number;
  /** Destroy the socket after this many events; `undefined` streams to `[DONE]`. */
  dropAfterChunks: number | undefined;
}

/** Schedules a callback; the provider tracks these timers so `close()` can cancel them. */
export type Later = (ms: number, run: () => void) => void;

/**
 * Writes the events to a response whose SSE headers are set but not sent. Without delays the whole stream
 * goes out in one write. With a drop, the socket is destroyed once the allowed events are flushed;
 * `onDrop` runs first so the close is not mistaken for a client abort.
 */
export function writeSseStream(
  res: ServerResponse,
  events: readonly string[],
  plan: StreamPlan,
  later: Later,
  onDrop: () => void,
): void {
  const { ttftMs, chunkGapMs, dropAfterChunks } = plan;
  const count = dropAfterChunks === undefined ? events.length : Math.min(dropAfterChunks, events.length);
  const finish = (text: string) => {
    if (dropAfterChunks === undefined) {
      res.end(text + SSE_DONE);
      return;
    }
    if (!res.headersSent) res.flushHeaders();
    res.write(text, () => {
      onDrop();
      res.socket?.destroy();
    });
  };
  const joined = () => (count === events.length ? events.join('') : events.slice(0, count).join(''));

  if (chunkGapMs === 0 && ttftMs === 0) {
    finish(joined());
    return;
  }
  res.flushHeaders();
  if (chunkGapMs === 0) {
    later(ttftMs, () => {
      if (!isGone(res)) finish(joined());
    });
    return;
  }
  let next = 0;
  const step = () => {
    if (isGone(res)) return;
    if (next < count) {
      res.write(events[next++]!);
      later(chunkGapMs, step);
    } else finish('');
  };
  later(ttftMs, step);
}
