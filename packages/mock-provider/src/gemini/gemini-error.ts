import { credentialEchoMessage, type ErrorDialect } from '../error-dialect';

/** Google's error body: `{ error: { code, message, status } }`. */
export interface GeminiErrorBody {
  error: { code: number; message: string; status: string };
}

/** The canonical gRPC status name Google pairs with an HTTP status. */
export function geminiStatusName(status: number): string {
  switch (status) {
    case 400:
      return 'INVALID_ARGUMENT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'NOT_FOUND';
    case 409:
      return 'ABORTED';
    case 429:
      return 'RESOURCE_EXHAUSTED';
    case 499:
      return 'CANCELLED';
    case 500:
      return 'INTERNAL';
    case 501:
      return 'UNIMPLEMENTED';
    case 503:
      return 'UNAVAILABLE';
    case 504:
      return 'DEADLINE_EXCEEDED';
    default:
      return status < 500 ? 'FAILED_PRECONDITION' : 'UNKNOWN';
  }
}

export function geminiError(code: number, message: string): GeminiErrorBody {
  return { error: { code, message, status: geminiStatusName(code) } };
}

/** A 400 `INVALID_ARGUMENT` naming the field, as Google words it. */
export function geminiInvalidArgument(message: string): GeminiErrorBody {
  return geminiError(400, message);
}

/** The body Google sends for a given status, for status faults and the fail rate. */
export function geminiErrorForStatus(status: number, model?: string): GeminiErrorBody {
  switch (status) {
    case 400:
      return geminiError(400, 'Mock bad request (injected by the mock provider).');
    case 401:
      return geminiError(401, 'API key not valid. Please pass a valid API key.');
    case 403:
      return geminiError(403, 'Permission denied (injected by the mock provider).');
    case 404:
      return geminiError(
        404,
        `models/${model ?? 'unknown'} is not found for API version v1beta, or is not supported for generateContent.`,
      );
    case 429:
      return geminiError(
        429,
        'Resource has been exhausted (e.g. check quota) (injected by the mock provider).',
      );
    case 500:
      return geminiError(
        500,
        'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting',
      );
    case 503:
      return geminiError(503, 'The model is overloaded. Please try again later.');
    case 504:
      return geminiError(504, 'Deadline expired before operation could complete.');
    default:
      return geminiError(status, `Mock error ${status} (injected by the mock provider).`);
  }
}

/** Google's error vocabulary for the fault layer. */
export const GEMINI_ERRORS: ErrorDialect = {
  forStatus: geminiErrorForStatus,
  badHeader: geminiInvalidArgument,
  credentialEcho: (credential) => geminiInvalidArgument(credentialEchoMessage(credential)),
};
