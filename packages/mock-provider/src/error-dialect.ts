import { credentialEcho, invalidRequest, openAiErrorForStatus } from './openai-error';

/**
 * How one protocol words the errors the fault layer produces, so every family gets the same faults in its
 * own error shape (OpenAI's `{error:{message,type,param,code}}`, Anthropic's `{type:"error",error:{…}}`,
 * Gemini's `{error:{code,message,status}}`).
 */
export interface ErrorDialect {
  /** The body for an injected (or fail-rate) status; `model` lets a 404 name the model. */
  forStatus(status: number, model: string | undefined): unknown;
  /** A 400 body for a malformed `x-mock-*` header. */
  badHeader(message: string): unknown;
  /** The body of the `echoCredential` fault: the presented credential as sent, URL-encoded and masked. */
  credentialEcho(credential: string): unknown;
}

/** OpenAI's error vocabulary (the chat, embeddings, models, responses, images and completions routes). */
export const OPENAI_ERRORS: ErrorDialect = {
  forStatus: openAiErrorForStatus,
  badHeader: (message) => invalidRequest(message, null, 'mock_invalid_header'),
  credentialEcho,
};

/** The message of a credential echo, shared by the dialects that have no `param`/`code` to put it in. */
export function credentialEchoMessage(credential: string): string {
  const masked =
    credential.length > 12 ? `${credential.slice(0, 8)}****${credential.slice(-4)}` : `${credential}****`;
  return `Invalid request for API key ${credential} (masked ${masked}; as received: ${encodeURIComponent(credential)}).`;
}
