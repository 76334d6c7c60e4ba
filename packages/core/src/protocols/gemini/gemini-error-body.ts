import type { UpstreamErrorFields } from '../../normalise-upstream-error';
import type { GeminiErrorBody } from './gemini-wire';
import { isGeminiObject } from './gemini-wire';

/** google.rpc.Code names by HTTP status, as Google's APIs pair them. */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  405: 'UNIMPLEMENTED',
  408: 'DEADLINE_EXCEEDED',
  409: 'ABORTED',
  413: 'INVALID_ARGUMENT',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** The google.rpc status name Google pairs with an HTTP status. */
export function geminiStatusName(status: number): string {
  return STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

/** The gateway's error fields, as a surface hands them over. */
export interface GeminiErrorFields {
  message: string;
  type: string;
  code: string | null;
  param: string | null;
}

/**
 * The gateway's error as Google's error JSON. `@google/genai` shows `message` and `status` (its `ApiError` carries
 * `code` as the HTTP status); the gateway's own code, the field at fault and the request id travel in a
 * `google.rpc.ErrorInfo` detail, and the request id is also named in the message, where a person reads it.
 */
export function geminiErrorBody(status: number, error: GeminiErrorFields, requestId: string): string {
  const metadata: Record<string, string> = { request_id: requestId, type: error.type };
  if (error.param !== null) metadata.param = error.param;
  const body: GeminiErrorBody = {
    error: {
      code: status,
      message: `${error.message} (request id: ${requestId})`,
      status: geminiStatusName(status),
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: error.code ?? error.type,
          domain: 'switchyard',
          metadata,
        },
      ],
    },
  };
  return JSON.stringify(body);
}

/**
 * Reads a Gemini error body (also the one-element array Google sometimes sends on streams). `type` is the rpc
 * status in lower case (`invalid_argument`, `resource_exhausted`), `code` the ErrorInfo reason when there is one
 * (`API_KEY_INVALID`) else the status, `param` the first BadRequest field violation. Null when it is not one.
 */
export function readGeminiError(body: string): UpstreamErrorFields | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (Array.isArray(parsed)) parsed = parsed[0];
  if (!isGeminiObject(parsed) || !isGeminiObject(parsed.error)) return null;
  const error = parsed.error;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const status = text(error.status);
  let reason: string | null = null;
  let param: string | null = null;
  if (Array.isArray(error.details)) {
    for (const detail of error.details) {
      if (!isGeminiObject(detail)) continue;
      if (reason === null) reason = text(detail.reason);
      if (param === null && Array.isArray(detail.fieldViolations)) {
        const first: unknown = detail.fieldViolations[0];
        if (isGeminiObject(first)) param = text(first.field);
      }
    }
  }
  const numericCode = typeof error.code === 'number' ? error.code : null;
  return {
    message: text(error.message),
    type: status === null ? null : status.toLowerCase(),
    code: reason ?? status ?? numericCode,
    param,
  };
}
