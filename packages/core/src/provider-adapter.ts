import type { ProviderKind } from './config-snapshot';
import type { Result } from './gateway-error';
import type { UpstreamErrorFields } from './normalise-upstream-error';
import type { ChatChunkBody, ChatResponseBody } from './protocols/canonical-chat';
import type { UnaryFamily } from './protocols/unary-request';
import type { EndpointFamily, WireProtocol } from './protocols/wire-protocol';
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
  /**
   * The event is the upstream's own in-stream error (Anthropic's `event: error`): the stream ends after it. Relayed
   * as bytes it already tells the caller, in the caller's protocol, so the router adds no error event of its own.
   * Absent: not one (adapters whose protocol has none leave it out).
   */
  error?: boolean;
}

/**
 * The body a chat call is built from. `native`: the caller's body in the adapter's own protocol (the surface speaks
 * it too), passed through with the model replaced, unknown fields and all. `canonical`: the canonical chat body
 * (`ChatRequestBody`), which the adapter translates into its protocol.
 */
export type CallBodyForm = 'native' | 'canonical';

/**
 * Turns an upstream's native stream into canonical chat chunks, one SSE event at a time. Stateful (some protocols
 * name a tool call once and send its arguments later): one decoder per stream.
 */
export interface ChatStreamDecoder {
  /** The canonical chunks one SSE event's data payload stands for (often one, sometimes none). */
  decode(data: string): readonly ChatChunkBody[];
  /**
   * The chunks still held when the upstream's stream ends (its end-of-stream event was decoded), e.g. the usage
   * chunk of a protocol that reports usage on every event and names no end of its own. Absent: nothing is held.
   */
  end?(): readonly ChatChunkBody[];
}

/**
 * What a canonical answer needs that a native one may not carry (core has no clock): used only when translating.
 */
export interface CanonicalAnswerContext {
  /** The model the canonical answer names when the native one names none (the target's upstream model). */
  model: string;
  /** Unix seconds, from the router's clock. */
  created: number;
  /** The answer's id when the native one has none. */
  fallbackId: string;
}

/** Images in a complete images answer: how many, and their size and quality when the answer names them. */
export interface GeneratedImages {
  count: number;
  size: string | null;
  quality: string | null;
}

/**
 * How an adapter serves a unary family (embeddings, images): one JSON request, one JSON answer, never streamed.
 * The family's canonical shape is OpenAI's wire format for it (see `UnaryFamily`). Errors are read by the
 * adapter's `readError`, as for chat.
 */
export interface UnaryFamilyAdapter {
  /**
   * Builds the upstream call from `body` (see {@link CallBodyForm}: `native` in this adapter's protocol for the
   * family, passed through with the model replaced; `canonical` to translate). Must not mutate `body`. Fails with
   * `unsupported_feature` (400, naming the field) when a canonical body asks for what this protocol cannot do.
   */
  buildCall(input: {
    baseUrl: string;
    credential: string;
    upstreamModel: string;
    body: Record<string, unknown>;
    form: CallBodyForm;
  }): Result<UpstreamCall>;
  /**
   * Token usage of a complete answer (parsed JSON, native), as reported; never throws; null when it reports
   * none. Embeddings report prompt tokens only: output is 0.
   */
  readUsage(body: unknown): UsageReport | null;
  /** Images family: the images a complete native answer holds. */
  readImages?(body: unknown): GeneratedImages;
  /**
   * A complete native answer in the family's canonical shape, for a surface that speaks another protocol;
   * `request` is the canonical request it answers (e.g. its `encoding_format`). A failure is the attempt's
   * `invalid_response`. Called only when translating.
   */
  toCanonicalResponse(
    body: Record<string, unknown>,
    request: Record<string, unknown>,
  ): Result<Record<string, unknown>>;
}

/**
 * The contract every provider adapter implements: build the upstream call (passing a same-protocol body through,
 * or translating the canonical one out), and read usage, text, errors and — for translation — responses and stream
 * events back. Shared router code never names a provider.
 */
export interface ProviderAdapter {
  /** Provider kinds this adapter serves. */
  readonly kinds: readonly ProviderKind[];
  /**
   * The protocol this adapter speaks for each endpoint family it serves. A family absent is not served: the router
   * skips the target for such a request as `unsupported_provider`.
   */
  readonly protocols: Readonly<Partial<Record<EndpointFamily, WireProtocol>>>;
  /**
   * Further protocols this provider takes as they are, each with the adapter that speaks it (OpenAI's own API
   * answers `/v1/responses` beside chat; OpenAI-compatible servers mostly do not). A surface of such a protocol
   * is served through that adapter on the fast path (body through, bytes back, usage read on the side) instead
   * of being translated through `protocols`. Absent: only `protocols`.
   */
  readonly alsoSpeaks?: Readonly<Partial<Record<WireProtocol, ProviderAdapter>>>;
  /**
   * How it serves each unary family it lists in `protocols` (embeddings, images); chat goes through the
   * methods below. A family in `protocols` without an entry here is not served either.
   */
  readonly unary?: Readonly<Partial<Record<UnaryFamily, UnaryFamilyAdapter>>>;
  /**
   * Builds the upstream chat call from `body` (see {@link CallBodyForm}); the adapter must not mutate it. Fails
   * with `unsupported_feature` (400, naming the field) when a canonical body asks for something this protocol
   * cannot honour: the caller's request is at fault, so the router answers it and tries no other target.
   */
  buildChatCall(input: {
    baseUrl: string;
    credential: string;
    upstreamModel: string;
    body: Record<string, unknown>;
    form: CallBodyForm;
    stream: boolean;
    /**
     * With `form: 'native'`, protocol headers the caller sent that shape the answer (Anthropic's `anthropic-beta`),
     * as its surface read them: the adapter forwards those its protocol knows. Absent otherwise.
     */
    nativeHeaders?: Readonly<Record<string, string>> | undefined;
  }): Result<UpstreamCall>;
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
  /** Interprets one SSE event's data payload: usage and end of stream, read from the native event. */
  readStreamEvent(data: string): StreamEventInfo;
  /**
   * Optional: a reader of one whole stream, for a protocol whose usage is spread over several events (Anthropic:
   * input counts in `message_start`, output in `message_delta`): each call reads one event's data and reports the
   * usage gathered so far. The router makes one per stream when present, else calls `readStreamEvent`.
   */
  createStreamEventReader?(): (data: string) => StreamEventInfo;
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
  /**
   * A complete non-streaming chat response (parsed JSON object) in the canonical chat shape, for a surface that
   * speaks another protocol. Called only when translating. A failure (a body that is no answer of this protocol)
   * is an `invalid_response` of the attempt: the ladder may go on. `context` supplies what a native answer may
   * not carry (model, time, id).
   */
  toCanonicalResponse(
    body: Record<string, unknown>,
    context: CanonicalAnswerContext,
  ): Result<ChatResponseBody>;
  /** A decoder of this adapter's native chat stream into canonical chunks; called only when translating. */
  createStreamDecoder(context: CanonicalAnswerContext): ChatStreamDecoder;
}
