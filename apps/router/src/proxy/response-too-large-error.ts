/**
 * Raised (as an abort reason) when an upstream answer outgrows the router's cap: a non-streaming body over
 * UPSTREAM_MAX_RESPONSE_BYTES or one SSE event over UPSTREAM_MAX_SSE_EVENT_BYTES. Reading stops at once, so
 * a hostile or broken upstream costs at most the cap in memory; the attempt fails as `response_too_large`.
 */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`Upstream response too large (over ${limitBytes} bytes).`);
    this.name = 'ResponseTooLargeError';
  }
}
