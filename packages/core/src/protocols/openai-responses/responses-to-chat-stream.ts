import type { ChatChunkBody, ChatUsage } from '../canonical-chat';
import { chatUsageFromResponses } from './chat-usage-from-responses';
import { finishReasonFromResponsesStatus } from './map-responses-status';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Decodes an upstream's Responses event stream into canonical chat chunks shown as `model`: a role chunk on
 * `response.created`, text and refusal deltas, one tool call per `function_call` item (its arguments from the
 * `function_call_arguments` deltas), and on `response.completed`/`response.incomplete` a finish chunk and then
 * the usage chunk (empty choices). Other events (reasoning, annotations, in-progress markers) carry nothing a
 * chat caller sees. An `error` or `response.failed` event, or data that is not JSON, sets `failure` and yields
 * nothing: the router ends the caller's stream with an error. Never throws.
 */
export class ResponsesToChatStream {
  /** Why the upstream stream failed, once it has. */
  failure: { message: string; code: string | null } | null = null;
  private id = 'resp_0';
  private created = 0;
  private readonly toolIndex = new Map<string, number>();
  private finished = false;

  constructor(private readonly model: string) {}

  /** One SSE event: its data payload and, when sent, its `event:` line (the data's `type` wins). */
  push(data: string, event?: string): ChatChunkBody[] {
    if (this.finished || this.failure) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.failure = { message: 'The upstream sent an event that is not JSON.', code: null };
      return [];
    }
    if (!isObject(parsed)) return [];
    const type = typeof parsed.type === 'string' ? parsed.type : event;
    switch (type) {
      case 'response.created': {
        const response = isObject(parsed.response) ? parsed.response : {};
        if (typeof response.id === 'string') this.id = response.id;
        if (typeof response.created_at === 'number' && Number.isFinite(response.created_at)) {
          this.created = response.created_at;
        }
        return [this.chunk({ role: 'assistant', content: '' })];
      }
      case 'response.output_text.delta':
        return typeof parsed.delta === 'string' && parsed.delta.length > 0
          ? [this.chunk({ content: parsed.delta })]
          : [];
      case 'response.refusal.delta':
        return typeof parsed.delta === 'string' && parsed.delta.length > 0
          ? [this.chunk({ refusal: parsed.delta })]
          : [];
      case 'response.output_item.added': {
        const item = isObject(parsed.item) ? parsed.item : {};
        if (item.type !== 'function_call' || typeof item.id !== 'string') return [];
        const index = this.toolIndex.size;
        this.toolIndex.set(item.id, index);
        const name = typeof item.name === 'string' ? item.name : '';
        const callId = typeof item.call_id === 'string' ? item.call_id : item.id;
        const args = typeof item.arguments === 'string' ? item.arguments : '';
        return [
          this.chunk({
            tool_calls: [{ index, id: callId, type: 'function', function: { name, arguments: args } }],
          }),
        ];
      }
      case 'response.function_call_arguments.delta': {
        const index = typeof parsed.item_id === 'string' ? this.toolIndex.get(parsed.item_id) : undefined;
        if (index === undefined || typeof parsed.delta !== 'string' || parsed.delta.length === 0) return [];
        return [this.chunk({ tool_calls: [{ index, function: { arguments: parsed.delta } }] })];
      }
      case 'response.completed':
      case 'response.incomplete': {
        this.finished = true;
        const response = isObject(parsed.response) ? parsed.response : {};
        const details = isObject(response.incomplete_details) ? response.incomplete_details.reason : null;
        const finish = finishReasonFromResponsesStatus(
          type === 'response.incomplete' ? 'incomplete' : 'completed',
          typeof details === 'string' ? details : null,
          this.toolIndex.size > 0,
        );
        const chunks = [this.chunk({}, finish)];
        const usage = chatUsageFromResponses(response.usage);
        if (usage) chunks.push(this.usageChunk(usage));
        return chunks;
      }
      case 'response.failed': {
        const response = isObject(parsed.response) ? parsed.response : {};
        const error = isObject(response.error) ? response.error : {};
        this.failure = {
          message: typeof error.message === 'string' ? error.message : 'The upstream response failed.',
          code: typeof error.code === 'string' ? error.code : null,
        };
        return [];
      }
      case 'error': {
        const error = isObject(parsed.error) ? parsed.error : parsed;
        this.failure = {
          message: typeof error.message === 'string' ? error.message : 'The upstream stream failed.',
          code: typeof error.code === 'string' ? error.code : null,
        };
        return [];
      }
      default:
        return [];
    }
  }

  private chunk(
    delta: ChatChunkBody['choices'][number]['delta'],
    finish: ChatChunkBody['choices'][number]['finish_reason'] = null,
  ): ChatChunkBody {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, delta, finish_reason: finish }],
    };
  }

  private usageChunk(usage: ChatUsage): ChatChunkBody {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      choices: [],
      usage,
    };
  }
}
