import type { ChatResponseBody, ChatToolCall } from '../canonical-chat';
import type { AnthropicResponseBody, AnthropicTextBlock, AnthropicToolUseBlock } from './anthropic-messages';
import { chatFinishReasonToAnthropic } from './anthropic-stop-reason';
import { chatUsageToAnthropic } from './anthropic-usage-to-chat';

/**
 * A canonical (non-streaming) completion as an Anthropic Message, for an Anthropic-SDK caller served by another
 * upstream. The first choice is the message (an Anthropic request cannot ask for more); its text (or refusal)
 * becomes a text block, each tool call a `tool_use` block whose input is the parsed arguments. Arguments that
 * are not a JSON object (a model cut off mid-call) are kept as their raw text rather than emptied, so the
 * caller sees what the model sent. `model` is the caller's public model name; usage is Anthropic's (input
 * excluding cache reads and writes), zeros when the upstream reported none.
 */
export function chatResponseToAnthropic(resp: ChatResponseBody, model: string): AnthropicResponseBody {
  const choice = resp.choices?.[0];
  const content: (AnthropicTextBlock | AnthropicToolUseBlock)[] = [];
  const text = choice?.message?.content ?? choice?.message?.refusal ?? '';
  if (typeof text === 'string' && text.length > 0) content.push({ type: 'text', text });
  for (const call of choice?.message?.tool_calls ?? []) content.push(toolUse(call));
  return {
    id: resp.id,
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: chatFinishReasonToAnthropic(choice?.finish_reason),
    stop_sequence: null,
    usage: chatUsageToAnthropic(resp.usage),
  };
}

function toolUse(call: ChatToolCall): AnthropicToolUseBlock {
  return {
    type: 'tool_use',
    id: call.id,
    name: call.function.name,
    input: parseInput(call.function.arguments),
  };
}

/** Tool-call arguments as an input object; the raw text when they are not a JSON object. */
function parseInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : text;
  } catch {
    return text;
  }
}
