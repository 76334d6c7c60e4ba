import type { UpstreamErrorFields } from '@switchyard/core';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The error object of an OpenAI(-compatible) error body, `{"error": {message, type, param, code}}`; also the
 * bare `{"message": …}` and `{"error": "…"}` shapes some compatible servers send. Null for anything else
 * (HTML from a proxy, an empty body): the router then words the error itself.
 */
export function readOpenAiError(body: string): UpstreamErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const outer = parsed as Record<string, unknown>;
  if (typeof outer.error === 'string') return { message: outer.error, type: null, code: null, param: null };
  const error = typeof outer.error === 'object' && outer.error !== null ? outer.error : outer;
  const e = error as Record<string, unknown>;
  const code = typeof e.code === 'number' && Number.isFinite(e.code) ? e.code : text(e.code);
  const fields = { message: text(e.message), type: text(e.type), code, param: text(e.param) };
  return fields.message === null && fields.code === null ? null : fields;
}
