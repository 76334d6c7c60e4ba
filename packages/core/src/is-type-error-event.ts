/**
 * Whether one SSE event's data is an in-stream error of the protocols that send one as `{"type":"error",…}`
 * (Anthropic Messages, OpenAI Responses). Parsed only when the text names an error at all, so the other events of
 * a stream cost one substring search; an event that merely mentions one (a tool named "error") is none.
 */
export function isTypeErrorEvent(data: string): boolean {
  if (!data.includes('"error"')) return false;
  try {
    const parsed: unknown = JSON.parse(data);
    return typeof parsed === 'object' && parsed !== null && (parsed as { type?: unknown }).type === 'error';
  } catch {
    return false;
  }
}
