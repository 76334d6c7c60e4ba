/** The fields of an error the Responses surface shows its caller. */
export interface ResponsesErrorFields {
  message: string;
  type: string;
  code: string | null;
  param: string | null;
}

/**
 * The error body of `/v1/responses`: OpenAI's error object, the same as on chat completions
 * (`{"error": {message, type, param, code}}`), with the request id inside it as well as in `x-request-id`.
 * `status` is the HTTP status the body goes out with; OpenAI's body does not repeat it.
 */
export function responsesErrorBody(_status: number, error: ResponsesErrorFields, requestId: string): string {
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
