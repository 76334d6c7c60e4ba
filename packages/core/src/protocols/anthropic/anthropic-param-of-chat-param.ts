/**
 * The Anthropic Messages field a translated chat request's field came from (core `anthropicToChatRequest`), so an
 * upstream adapter's error on the chat body names what the Anthropic caller sent: `stop` is `stop_sequences`,
 * `tools[i].function.parameters` `tools[i].input_schema`, `parallel_tool_calls` `tool_choice.disable_parallel_tool_use`,
 * `user` `metadata.user_id`; `messages…` are `messages` (the system prompt and tool results regroup, so positions
 * do not carry over). A path with no Anthropic counterpart is returned as it is.
 */
export function anthropicParamOfChatParam(param: string): string {
  const head = /^[a-z_]+/.exec(param)?.[0];
  if (head === undefined) return param;
  const rest = param.slice(head.length);
  switch (head) {
    case 'messages':
      return 'messages';
    case 'max_completion_tokens':
      return 'max_tokens';
    case 'stop':
      return 'stop_sequences';
    case 'user':
      return 'metadata.user_id';
    case 'parallel_tool_calls':
      return 'tool_choice.disable_parallel_tool_use';
    case 'tools':
      // An Anthropic tool is flat: {name, description, input_schema}; indices carry over.
      return `tools${rest.replace(/^(\[\d+\])\.function\.parameters/, '$1.input_schema').replace(/^(\[\d+\])\.function(?=\.|$)/, '$1')}`;
    case 'tool_choice':
      return 'tool_choice';
    default:
      return param;
  }
}
