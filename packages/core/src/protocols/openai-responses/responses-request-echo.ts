/**
 * The request parameters a `Response` object repeats, as OpenAI fills them: what the caller sent, else the
 * default OpenAI reports (no instructions, parallel tool calls on, `auto` tool choice, plain text format, no
 * truncation). `request` is the caller's Responses body, already accepted by `responsesToChatRequest`; anything
 * unreadable falls back to the default, so this never throws.
 */
export function responsesRequestEcho(request: unknown): Record<string, unknown> {
  const body = typeof request === 'object' && request !== null && !Array.isArray(request) ? request : {};
  const get = (key: string, fallback: unknown): unknown => {
    const value = (body as Record<string, unknown>)[key];
    return value === undefined || value === null ? fallback : value;
  };
  const echo: Record<string, unknown> = {
    instructions: get('instructions', null),
    max_output_tokens: get('max_output_tokens', null),
    metadata: get('metadata', {}),
    parallel_tool_calls: get('parallel_tool_calls', true),
    previous_response_id: null,
    reasoning: get('reasoning', { effort: null, summary: null }),
    temperature: get('temperature', null),
    text: get('text', { format: { type: 'text' } }),
    tool_choice: get('tool_choice', 'auto'),
    tools: get('tools', []),
    top_p: get('top_p', null),
    truncation: get('truncation', 'disabled'),
  };
  const user = get('user', null);
  if (user !== null) echo.user = user;
  return echo;
}
