import type { UpstreamErrorFields } from '../../normalise-upstream-error';
import { isRecord } from './is-record';

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The error object of an Anthropic error body, `{"type":"error","error":{"type","message","details"?:
 * {"error_code"}},"request_id"}`: `type` is Anthropic's error type (`overloaded_error`, …), `code` the detail's
 * `error_code` when sent. Also the bare `{"error":{…}}` without the outer type. Null for anything else (HTML from
 * a proxy, an empty body): the router then words the error itself.
 */
export function readAnthropicError(body: string): UpstreamErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return null;
  const error = parsed.error;
  const details = isRecord(error.details) ? error.details : {};
  const fields: UpstreamErrorFields = {
    message: text(error.message),
    type: text(error.type),
    code: text(details.error_code),
    param: null,
  };
  return fields.message === null && fields.type === null ? null : fields;
}
