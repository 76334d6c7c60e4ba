import type { ServerResponse } from 'node:http';
import {
  type CompletionMeta,
  openAiUsage,
  SYSTEM_FINGERPRINT,
  toolCallIdOf,
  usageOfChoices,
} from './chat-completion';
import { isGone } from './http-io';
import type { ChatReply } from './plan-reply';

/** The terminating SSE event. */
export const SSE_DONE = 'data: [DONE]\n\n';

/** Tool-call arguments are streamed in slices of this many characters. */
export const ARGUMENT_SLICE_CHARS = 8;

/**
 * The `chat.completion.chunk` SSE events for a reply, each a complete `data: …\n\n` string, without the
 * final `[DONE]`:
 * 1. the role (`{"role":"assistant","content":""}`, or for tool calls the first call's index, id, type,
 *    name and empty arguments),
 * 2. one event per word (the words after the first carry their leading space), or each call's arguments in
 *    8-character slices (a further call starts with its own index/id/name event),
 * 3. an empty delta with `finish_reason`,
 * 4. with `includeUsage`, a chunk with `choices: []` and the usage, or `usageOverride` when given (all other chunks then carry
 *    `"usage": null`, as OpenAI's do).
 * With `n` > 1 the choices' events are interleaved (choice 0's first event, choice 1's first event, …).
 *
 * Built from string templates around one JSON-encoded prefix: this runs per request in benchmarks.
 */
export function buildChatChunks(
  reply: ChatReply,
  meta: CompletionMeta,
  includeUsage: boolean,
  /** Reported instead of the real usage (the `usage` fault); `undefined` reports the real one. */
  usageOverride?: unknown,
  n = 1,
): string[] {
  const head = `data: {"id":"${meta.id}","object":"chat.completion.chunk","created":${meta.created},"model":${JSON.stringify(meta.model)},"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}","choices":[`;
  const tail = includeUsage ? ',"usage":null}\n\n' : '}\n\n';
  const choiceEvents = (index: number): string[] => {
    const prefix = `${head}{"index":${index},"delta":`;
    const event = (delta: string, finishReason: string | null = null) =>
      `${prefix}${delta},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : `"${finishReason}"`}}]${tail}`;
    const events: string[] = [];
    if (reply.kind === 'text') {
      events.push(event('{"role":"assistant","content":"","refusal":null}'));
      for (let i = 0; i < reply.words.length; i++) {
        const word = reply.words[i]!;
        events.push(event(`{"content":${JSON.stringify(i === 0 ? word : ` ${word}`)}}`));
      }
    } else {
      for (let c = 0; c < reply.calls.length; c++) {
        const call = reply.calls[c]!;
        const start = `{"index":${c},"id":"${toolCallIdOf(meta, c)}","type":"function","function":{"name":${JSON.stringify(call.name)},"arguments":""}}`;
        events.push(
          event(
            c === 0
              ? `{"role":"assistant","content":null,"tool_calls":[${start}],"refusal":null}`
              : `{"tool_calls":[${start}]}`,
          ),
        );
        for (let at = 0; at < call.arguments.length; at += ARGUMENT_SLICE_CHARS) {
          const slice = call.arguments.slice(at, at + ARGUMENT_SLICE_CHARS);
          events.push(
            event(`{"tool_calls":[{"index":${c},"function":{"arguments":${JSON.stringify(slice)}}}]}`),
          );
        }
      }
    }
    events.push(event('{}', reply.finishReason));
    return events;
  };

  let events: string[];
  if (n === 1) events = choiceEvents(0);
  else {
    const perChoice = Array.from({ length: n }, (_, index) => choiceEvents(index));
    events = [];
    const length = perChoice[0]!.length;
    for (let i = 0; i < length; i++) for (const choice of perChoice) events.push(choice[i]!);
  }
  if (includeUsage) {
    const usage = usageOverride === undefined ? openAiUsage(usageOfChoices(reply.usage, n)) : usageOverride;
    events.push(`${head}],"usage":${JSON.stringify(usage)}}\n\n`);
  }
  return events;
}

/** Timing and failure of one stream. */
export interface StreamPlan {
  ttftMs: number;
  chunkGapMs: number;
  /** Destroy the socket after this many events; `undefined` streams to the end. */
  dropAfterChunks: number | undefined;
  /** Written after the last event; `SSE_DONE` (OpenAI's `data: [DONE]`) when absent, '' for protocols without one. */
  terminator?: string;
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
  const terminator = plan.terminator ?? SSE_DONE;
  const count = dropAfterChunks === undefined ? events.length : Math.min(dropAfterChunks, events.length);
  const finish = (text: string) => {
    if (dropAfterChunks === undefined) {
      res.end(text + terminator);
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
