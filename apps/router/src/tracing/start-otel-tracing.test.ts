import type { ResolvedTarget, UpstreamCall } from '@switchyard/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startOtelTracing } from './start-otel-tracing';

// The caller controls `traceparent` and `tracestate`: whatever they hold, the attempt goes upstream with a
// well-formed traceparent of our own span and only header-safe trace state.

const tracing = startOtelTracing({ endpoint: 'http://127.0.0.1:9', serviceName: 't', exportDelayMs: 60_000 });
afterAll(() => tracing.shutdown());

const resolved = {
  target: { id: 'tgt_1', upstreamModel: 'm' },
  provider: { id: 'prv_1' },
  account: { id: 'acc_1' },
} as unknown as ResolvedTarget;
const call: UpstreamCall = { url: 'http://upstream/v1/chat/completions', headers: { a: 'b' }, body: '{}' };

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/;
const hexOf = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

function forwarded(traceparent: string | undefined, tracestate: string | undefined) {
  const trace = tracing.request(traceparent, tracestate, Date.now(), 'req_1', 'openai-chat');
  const sent = trace.attempt(resolved, call);
  return sent.headers;
}

describe('trace context from the caller', () => {
  it('a valid traceparent is continued: same trace, a new span id, the caller’s sampled flag', () => {
    fc.assert(
      fc.property(hexOf(32), hexOf(16), fc.constantFrom('00', '01'), (traceId, spanId, flags) => {
        fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(spanId));
        const headers = forwarded(`00-${traceId}-${spanId}-${flags}`, undefined);
        const match = TRACEPARENT.exec(headers.traceparent ?? '');
        expect(match?.[1]).toBe(traceId);
        expect(match?.[2]).not.toBe(spanId);
        expect(headers.traceparent?.endsWith(`-${flags}`)).toBe(true);
      }),
    );
  });

  it('any other header value starts a new trace, and what goes upstream is always header-safe', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constant(undefined),
          fc.string({ unit: 'binary', maxLength: 80 }),
          // A valid parent, so the caller's tracestate is read (it is ignored without one).
          fc.constant('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
        ),
        fc.option(
          fc.oneof(
            fc.string({ unit: 'binary', maxLength: 200 }),
            fc.constantFrom('vendor=abc', 'a=1,b=2', 'a=1\r\nx-injected: yes', 'k=v\u0000'),
          ),
          { nil: undefined },
        ),
        (traceparent, tracestate) => {
          const headers = forwarded(traceparent, tracestate);
          expect(headers.traceparent).toMatch(TRACEPARENT);
          expect(headers.a).toBe('b');
          // Visible ASCII only: undici refuses anything else, which would fail the attempt.
          for (const value of Object.values(headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('forwards a valid tracestate with a valid parent, and drops a hostile one', () => {
    const parent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    expect(forwarded(parent, 'vendor=abc,b=2').tracestate).toBe('vendor=abc,b=2');
    expect(forwarded(parent, 'a=1\r\nx-injected: yes').tracestate ?? '').not.toContain('\n');
    expect(forwarded(undefined, 'vendor=abc').tracestate).toBeUndefined();
  });

  it('leaves the adapter’s call unchanged', () => {
    forwarded(undefined, undefined);
    expect(call.headers).toEqual({ a: 'b' });
  });
});
