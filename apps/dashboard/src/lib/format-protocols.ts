/**
 * A request's protocols as the request log shows them: the caller's, then the one its serving attempt was sent
 * in when the router translated ("openai-chat → anthropic-messages"); the caller's alone when the bytes passed
 * through unchanged; "openai-chat → —" when nothing was served; "—" on events written before routers recorded it.
 */
export function formatProtocols(surface: string | null, upstreamProtocol: string | null): string {
  if (surface === null && upstreamProtocol === null) return '—';
  if (surface === upstreamProtocol) return surface ?? '—';
  return `${surface ?? '—'} → ${upstreamProtocol ?? '—'}`;
}
