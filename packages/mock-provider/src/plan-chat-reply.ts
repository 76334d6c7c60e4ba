import { countPromptTokens, messageText } from './count-tokens';
import type { MockChatRequest } from './parse-chat-request';
import { type ChatReply, planReply } from './plan-reply';

/**
 * The reply to a chat completions request, see `planReply`: tool calls unless the last message is a
 * `role: "tool"` result; several calls when `tool_choice` is "required", `parallel_tool_calls` is not false
 * and several tools are given; `response_format` shapes the text.
 */
export function planChatReply(request: MockChatRequest): ChatReply {
  const { messages } = request;
  const last = messages[messages.length - 1];
  let lastUserText = '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role === 'user') {
      lastUserText = messageText(message.content);
      break;
    }
  }
  return planReply({
    promptTokens: countPromptTokens(messages),
    lastUserText,
    toolResultText: last?.role === 'tool' ? messageText(last.content) : undefined,
    tools: request.tools,
    toolChoice: request.toolChoice,
    parallelToolCalls: request.parallelToolCalls,
    maxTokens: request.maxTokens,
    format: request.responseFormat,
  });
}
