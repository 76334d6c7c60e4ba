import type { CanonicalAnswerContext, ProviderAdapter } from '@switchyard/core';
import type { StreamTranslator } from '../proxy/relay-stream';
import type { InboundRequest, Surface } from '../surfaces/surface';

/** Upstream native events → canonical chunks (the adapter's decoder) → the caller's framing (the surface's encoder). */
export function streamTranslator(
  adapter: ProviderAdapter,
  surface: Surface,
  request: InboundRequest,
  context: CanonicalAnswerContext,
): StreamTranslator {
  const decoder = adapter.createStreamDecoder(context);
  const encoder = surface.createStreamEncoder(request);
  return {
    event(data, done) {
      let out = '';
      for (const chunk of decoder.decode(data)) out += encoder.encode(chunk);
      if (done) {
        if (decoder.end) for (const chunk of decoder.end()) out += encoder.encode(chunk);
        out += encoder.end();
      }
      return out;
    },
  };
}
