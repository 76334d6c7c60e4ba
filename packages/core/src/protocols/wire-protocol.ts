/**
 * The wire protocols Switchyard speaks, inbound (surfaces) and outbound (provider adapters). A surface and an
 * adapter that speak the same protocol pass the caller's body through unchanged (the fast path); otherwise the
 * request goes through the family's canonical shape (see `canonical-chat.ts`).
 */
export type WireProtocol =
  /** POST /v1/chat/completions */
  | 'openai-chat'
  /** POST /v1/responses */
  | 'openai-responses'
  /** POST /v1/completions (legacy text completions) */
  | 'openai-completions'
  /** POST /v1/embeddings */
  | 'openai-embeddings'
  /** POST /v1/images/generations */
  | 'openai-images'
  /** POST /v1/messages (and /v1/messages/count_tokens) */
  | 'anthropic-messages'
  /** POST /v1beta/models/{model}:generateContent and :streamGenerateContent?alt=sse */
  | 'gemini-generate'
  /** POST /v1beta/models/{model}:embedContent */
  | 'gemini-embed';

/**
 * What routing, pricing and budgets treat alike. Chat, Responses, legacy completions, Anthropic Messages and
 * Gemini generateContent are all `chat`: priced per input/output token and translated through the canonical
 * chat shape. An asynchronous job family (video: create, poll, fetch, priced per second) adds a member here and
 * its own canonical shape, not another restructuring.
 */
export type EndpointFamily = 'chat' | 'embeddings' | 'images';
