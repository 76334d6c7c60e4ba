/**
 * The error body of `/v1/completions`: OpenAI's error object (`{"error": {message, type, param, code}}`) with
 * the request id inside it as well as in `x-request-id`.
 */
export function completionsErrorBody(
  _status: number,
  error: { message: string; type: string; code: string | null; param: string | null },
  requestId: string,
): string {
  return JSON.stringify({
    error: {
      message: error.message,
      type: error.type,
      param: error.param,
      code: error.code,
      request_id: requestId,
    },
  });
}
