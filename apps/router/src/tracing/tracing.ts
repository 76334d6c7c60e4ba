import type {
  AttemptRecord,
  ResolvedTarget,
  TrafficClass,
  UpstreamCall,
  UsageEventRecord,
} from '@switchyard/core';

/**
 * OpenTelemetry traces of the request path, present only when OTEL_EXPORTER_OTLP_ENDPOINT is set (the context
 * holds null otherwise, so the hot path pays one null check and no OpenTelemetry module is ever loaded).
 */
export interface Tracing {
  /**
   * Opens the span of one admitted request, started at `startedAt` (epoch ms, when the request arrived); a child
   * of the caller's span when `traceparent` is a valid W3C trace context, else the root of a new trace.
   */
  request(
    traceparent: string | undefined,
    tracestate: string | undefined,
    startedAt: number,
    requestId: string,
    surface: string,
  ): RequestTrace;
  /** Exports the spans still buffered; called once at shutdown. */
  shutdown(): Promise<void>;
}

/** The span of one request and the child spans of its upstream attempts. */
export interface RequestTrace {
  /**
   * Opens the child span of one upstream attempt and returns the call carrying that span's `traceparent`
   * (a copy: the adapter's call is not changed).
   */
  attempt(resolved: ResolvedTarget, call: UpstreamCall): UpstreamCall;
  /**
   * The record of the attempt last opened. Read when the request ends, not now: a relay that fails before the
   * first byte reaches the client still changes it.
   */
  record(attempt: AttemptRecord): void;
  /** Ends the attempt spans and the request span with what the request's usage event says. */
  end(event: UsageEventRecord, trafficClass: TrafficClass, publicModel: string): void;
}
