import type { ChatReply } from '../plan-reply';
import { ARGUMENT_SLICE_CHARS } from '../sse-stream';
import { buildResponse, type ResponseMeta, responseOutput } from './build-response';
import type { MockResponsesRequest } from './parse-responses-request';

/**
 * The Responses stream of a reply, each event `event: <type>\ndata: {…, sequence_number}\n\n`, OpenAI's
 * order: `response.created`, `response.in_progress`; for text `response.output_item.added`,
 * `response.content_part.added`, one `response.output_text.delta` per word, `response.output_text.done`,
 * `response.content_part.done`, `response.output_item.done`; for each function call
 * `response.output_item.added`, `response.function_call_arguments.delta` (8-character slices),
 * `response.function_call_arguments.done`, `response.output_item.done`; then `response.completed` (or
 * `response.incomplete` when the text was cut) with the whole response and its usage. No `[DONE]`.
 */
export function buildResponseEvents(
  reply: ChatReply,
  meta: ResponseMeta,
  request: MockResponsesRequest,
): string[] {
  const events: string[] = [];
  const emit = (type: string, fields: Record<string, unknown>) => {
    events.push(
      `event: ${type}\ndata: ${JSON.stringify({ type, ...fields, sequence_number: events.length })}\n\n`,
    );
  };
  const pending = buildResponse(reply, meta, request, true);
  emit('response.created', { response: pending });
  emit('response.in_progress', { response: pending });
  const output = responseOutput(reply, meta);
  if (reply.kind === 'text') {
    const item = output[0]! as { id: string; content: unknown[] };
    const itemId = item.id;
    const at = { item_id: itemId, output_index: 0, content_index: 0 };
    emit('response.output_item.added', {
      output_index: 0,
      item: { id: itemId, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    });
    emit('response.content_part.added', {
      ...at,
      part: { type: 'output_text', text: '', annotations: [], logprobs: [] },
    });
    for (let i = 0; i < reply.words.length; i++) {
      emit('response.output_text.delta', {
        ...at,
        delta: i === 0 ? reply.words[i] : ` ${reply.words[i]}`,
        logprobs: [],
      });
    }
    emit('response.output_text.done', { ...at, text: reply.content, logprobs: [] });
    emit('response.content_part.done', { ...at, part: item.content[0] });
    emit('response.output_item.done', { output_index: 0, item });
  } else {
    for (let index = 0; index < output.length; index++) {
      const item = output[index]! as { id: string; call_id: string; name: string; arguments: string };
      emit('response.output_item.added', {
        output_index: index,
        item: { ...item, status: 'in_progress', arguments: '' },
      });
      for (let at = 0; at < item.arguments.length; at += ARGUMENT_SLICE_CHARS) {
        emit('response.function_call_arguments.delta', {
          item_id: item.id,
          output_index: index,
          delta: item.arguments.slice(at, at + ARGUMENT_SLICE_CHARS),
        });
      }
      emit('response.function_call_arguments.done', {
        item_id: item.id,
        output_index: index,
        name: item.name,
        arguments: item.arguments,
      });
      emit('response.output_item.done', { output_index: index, item });
    }
  }
  const final = buildResponse(reply, meta, request);
  emit(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  return events;
}
