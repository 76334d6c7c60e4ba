import type { ProviderKind } from './config-snapshot';
import type { UpstreamErrorFields } from './normalise-upstream-error';
import type { UsageReport } from './usage-report';

/** An upstream HTTP call an adapter asks the router to make. */
export interface UpstreamCall {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** What one SSE event of an upstream stream means to the router. */
export interface StreamEventInfo {
  /** Usage reported by this event, if any, as reported (settled by core `settleUsage`). */
  usage: UsageReport | null;
  /** The event carries only usage (no choices): forward it only when the client asked for usage. */
  usageOnly: boolean;
  /** The event is the end-of-stream sentinel. */
  done: boolean;
}

/**
 * The contract every provider adapter implements: translate an OpenAI-style chat request into the
 * provider's call, and read usage back out of its responses. Shared router code never names a provider.
 */
export interface ProviderAdapter {
  /** Provider kinds this adapter serves. */
  readonly kinds: readonly ProviderKind[];
  /** Builds the upstream chat call. `body` is the caller's parsed request; the adapter must not mutate it. */
  buildChatCall(input: {
    baseUrl: string;
    credential: string;
    upstreamModel: string;
    body: Record<string, unknown>;
    stream: boolean;
  }): UpstreamCall;
  /**
   * A cheap authenticated GET for active health checks (e.g. listing models): it proves the host answers and
   * the credential is accepted, without spending tokens.
   */
  buildHealthCheck(input: { baseUrl: string; credential: string }): {
    url: string;
    headers: Record<string, string>;
  };
  /**
   * Reads usage from a complete non-streaming response body (already parsed JSON), as reported: never throws,
   * whatever the body holds; null when it reports none.
   */
  readUsage(body: unknown): UsageReport | null;
  /** Interprets one SSE event's data payload. */
  readStreamEvent(data: string): StreamEventInfo;
  /**
   * The generated text (content, tool-call names and arguments) of a complete non-streaming response, for
   * estimating tokens when the upstream reported no usage.
   */
  readResponseText(body: unknown): string;
  /** The generated text one SSE event's data payload carries; called only when a stream reported no usage. */
  readStreamText(data: string): string;
  /**
   * The fields of the error object in a non-2xx body (at most the router's error-body cap), exactly as sent:
   * the router redacts and bounds them before any caller sees them. Null when the body has no error object.
   */
  readError(body: string): UpstreamErrorFields | null;
}
