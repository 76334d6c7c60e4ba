import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  ChatChunkBody,
  ChatRequest,
  ChatResponseBody,
  EndpointFamily,
  GatewayError,
  NormalisedUpstreamError,
  Result,
  WireProtocol,
} from '@switchyard/core';
import type { RouteDefinition } from '../http/route-table';
import type { RouterContext } from '../router-context';

/**
 * One route a surface answers. `path` is exact, or holds one `{name}` placeholder that matches a single path
 * segment (no `/`), as Gemini's `/v1beta/models/{model}:generateContent` carries the model: the matched text is
 * handed to `parse` under that name.
 */
export interface SurfaceRoute {
  method: 'GET' | 'POST';
  path: string;
}

/** Values of a route's `{name}` placeholders, percent-decoded. */
export type PathParams = Readonly<Record<string, string>>;

/**
 * A request as the pipeline needs it: the canonical chat fields (model, stream, usage request, max tokens, choices,
 * and the canonical body that limits, budgets, attribution and translation read) plus the caller's own body, which
 * goes upstream unchanged when the target speaks the surface's protocol.
 */
export interface InboundRequest extends ChatRequest {
  /** The body as the caller sent it, in the surface's protocol (the same object as `body` when that is canonical). */
  native: { protocol: WireProtocol; body: Record<string, unknown> };
  /**
   * Set when the caller's body uses what only its own protocol can serve (Anthropic `cache_control`, thinking,
   * unknown fields): `body` is then a stand-in good for limits and accounting only, and a target that would need
   * the canonical body answers this error (400 `unsupported_feature`, naming the field) instead of being sent.
   */
  canonicalRefusal?: GatewayError;
  /** Protocol headers the caller sent that go upstream with the native body (see {@link Surface.readNativeHeaders}). */
  nativeHeaders?: Readonly<Record<string, string>>;
  /**
   * Set when only a target whose adapter speaks the surface's protocol can serve the request (the fast path):
   * it carries what translation cannot (state an upstream keeps, a hosted tool); `body` is then only the
   * canonical estimate limits and budgets read. `targetId`: the one target holding the state the request
   * continues (Responses' `previous_response_id`), the only one tried. `refusal` (a 400) is answered when no
   * such target is on the route. Absent for every translatable request.
   */
  nativeOnly?: { targetId: string | null; refusal: GatewayError };
}

/** What a surface may know of a request besides its body: who sent it, and its id. */
export interface ParseContext {
  keyId: string;
  requestId: string;
}

/**
 * Rewrites a same-protocol answer on its way to the caller, knowing the target that served it (Responses: the
 * response id names the target, so a later `previous_response_id` finds it on any router).
 */
export interface PassthroughRewriter {
  /** The complete non-streaming body. */
  answer(body: Buffer): Buffer;
  /** One whole SSE event as received (its `event:` and `data:` lines and the blank line ending it). */
  event(text: string): string;
}

/**
 * Writes canonical chat chunks as the surface's stream (used only when the upstream speaks another protocol; a
 * same-protocol stream is relayed as bytes). One encoder per stream: framing may depend on what came before.
 */
export interface StreamEncoder {
  /** SSE text for one canonical chunk; '' when the chunk shows nothing to this caller. */
  encode(chunk: ChatChunkBody): string;
  /** SSE text that ends a stream that completed (OpenAI's `data: [DONE]`, Anthropic's `message_stop`). */
  end(): string;
}

/**
 * An inbound protocol: what it answers, how its key arrives, how its requests parse into the canonical request,
 * and how errors, answers and streams are written in its shape. A surface knows its wire format and nothing of
 * routing, money or failover (the pipeline's part).
 */
export interface Surface {
  /** The protocol callers speak to it; recorded as the usage row's `surface`. */
  readonly protocol: WireProtocol;
  /** What routing, pricing and budgets treat it as; a target is served only by an adapter speaking this family. */
  readonly family: EndpointFamily;
  /** The routes it answers. */
  readonly routes: readonly SurfaceRoute[];
  /**
   * Optional: another header that carries the request id on served answers, besides `x-request-id`, where the
   * protocol's SDK reads it (Anthropic's `request-id`, `Message._request_id`).
   */
  readonly requestIdHeader?: string;
  /**
   * Optional: routes of the surface that are no chat request and do not go through the pipeline (Anthropic's
   * `/v1/messages/count_tokens`, answered by the router itself), with their own handlers.
   */
  readonly extraRoutes?: (ctx: RouterContext) => RouteDefinition[];
  /**
   * The API key the caller presented (`Authorization: Bearer`, `x-api-key`, `x-goog-api-key`, `?key=`); an error in
   * the surface's words when it is absent or malformed. `url` is the request target as received. A plain
   * function (no `this`): the pipeline hands it to `authenticate` on its own.
   */
  readonly readKey: (req: IncomingMessage, url: string) => Result<string>;
  /**
   * Optional: the caller's protocol headers that shape the answer and go upstream with the native body on the fast
   * path (Anthropic's `anthropic-beta`); null when it sent none.
   */
  readonly readNativeHeaders?: (req: IncomingMessage) => Readonly<Record<string, string>> | null;
  /**
   * Checks and reads a parsed JSON body; the error names the field. Never reaches an upstream when it fails.
   * `context` (the pipeline always passes it) is for surfaces that keep something per key or request.
   */
  parse(json: unknown, params: PathParams, context?: ParseContext): Result<InboundRequest>;
  /** The model a body that failed `parse` asked for, for the refused request's usage row; '' when none. */
  requestedModel(json: unknown, params: PathParams): string;
  /** Answers a gateway error in the surface's error shape, with the request id in the body and `x-request-id`. */
  sendError(
    res: ServerResponse,
    requestId: string,
    error: GatewayError,
    headers?: Record<string, string>,
  ): void;
  /**
   * Answers an upstream's client error (already redacted and bounded) with the upstream's status, in the surface's
   * error shape, with the request id.
   */
  sendUpstreamError(
    res: ServerResponse,
    requestId: string,
    status: number,
    error: NormalisedUpstreamError,
    headers?: Record<string, string>,
  ): void;
  /**
   * Writes a complete answer from the canonical response (only when translating; a same-protocol answer goes out
   * as the upstream's bytes). `headers` are the pipeline's readback headers.
   */
  sendAnswer(
    res: ServerResponse,
    headers: Record<string, string>,
    answer: ChatResponseBody,
    request: InboundRequest,
  ): void;
  /**
   * Optional: how the fast path's answer and stream are rewritten for this request served by `targetId`; null
   * or absent, they pass as the upstream's bytes.
   */
  passthroughRewriter?(request: InboundRequest, targetId: string): PassthroughRewriter | null;
  /**
   * A unary family's surface (embeddings, images): writes a complete answer given in the family's canonical shape
   * (OpenAI's wire format for it), when the upstream spoke another protocol. Chat surfaces leave it out; for a
   * unary surface the chat-only `sendAnswer`, `createStreamEncoder` and `streamError` are never called.
   */
  sendFamilyAnswer?(
    res: ServerResponse,
    headers: Record<string, string>,
    answer: Record<string, unknown>,
    request: InboundRequest,
  ): void;
  /**
   * Optional: the caller's name for a field of the canonical body, for an error a target's adapter raised while
   * translating it (`unsupported_feature` naming `response_format.type` is `text.format.type` to a Responses
   * caller). Absent: the canonical names are the caller's.
   */
  callerParam?(canonicalParam: string): string;
  /** A stream encoder for one translated stream of this request. */
  createStreamEncoder(request: InboundRequest): StreamEncoder;
  /** The SSE text that ends a stream broken after its first byte, in the surface's error shape. */
  streamError(error: GatewayError, requestId: string): string;
}
