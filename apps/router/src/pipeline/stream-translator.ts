import type { ProviderAdapter } from '@switchyard/core';
import type { StreamTranslator } from '../proxy/relay-stream';
import type { InboundRequest, Surface } from '../surfaces/surface';

/** Upstream native events → canonical chunks (the adapter's decoder) → the caller's framing (the surface's encoder). */
export function streamTranslator(
  adapter: ProviderAdapter,
  surface: Surface,
  request: InboundRequest,
): StreamTranslator {
  const decoder = adapter.createStreamDecoder();
  const encoder = surface.createStreamEncoder(request);
  return {
    event(data, done) {
      let out = '';
      for (const chunk of decoder.decode(data)) out += encoder.encode(chunk);
      if (done) out += encoder.end();
      return out;
    },
  };
}
