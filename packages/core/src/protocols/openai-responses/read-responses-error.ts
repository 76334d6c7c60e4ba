import type { UpstreamErrorFields } from '../../normalise-upstream-error';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The error object of a Responses error body: OpenAI's `{"error": {message, type, param, code}}`, also the
 * bare `{"message": …}` and `{"error": "…"}` some compatible servers send, and a failed `Response`
 * (`{"object": "response", "status": "failed", "error": {code, message}}`). Null for anything else (HTML from a
 * proxy, an empty body): the router then words the error itself. Never throws.
 */
export function readResponsesError(body: string): UpstreamErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const outer = parsed as Record<string, unknown>;
  if (typeof outer.error === 'string') return { message: outer.error, type: null, code: null, param: null };
  const inner = outer.error;
  const error =
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : outer;
  const code = typeof error.code === 'number' && Number.isFinite(error.code) ? error.code : text(error.code);
  const fields = { message: text(error.message), type: text(error.type), code, param: text(error.param) };
  return fields.message === null && fields.code === null ? null : fields;
}
