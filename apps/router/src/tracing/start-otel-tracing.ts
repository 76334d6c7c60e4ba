import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
} from '@opentelemetry/semantic-conventions';
import type {
  AttemptRecord,
  ResolvedTarget,
  TrafficClass,
  UpstreamCall,
  UsageEventRecord,
} from '@switchyard/core';
import { tracesUrl } from './load-tracing';
import { type ExportLog, SpanExportThread } from './span-export-thread';
import type { RequestTrace, Tracing } from './tracing';

const SILENT: ExportLog = { error: () => {}, warn: () => {} };

/**
 * Loaded only through loadTracing (dynamic import), when an endpoint is set. `log` hears of failed exports, dropped
 * spans and a failed export thread.
 */
export function startOtelTracing(
  settings: { endpoint: string; serviceName: string; exportDelayMs: number },
  log: ExportLog = SILENT,
): Tracing {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName });
  const scope = { name: 'switchyard-router' };
  const provider = new BasicTracerProvider({
    resource,
    // Spans are built here and exported (batched, serialized, sent) from a worker thread.
    spanProcessors: [
      new SpanExportThread(
        {
          url: tracesUrl(settings.endpoint),
          exportDelayMs: settings.exportDelayMs,
          resourceAttributes: resource.attributes,
          scope,
        },
        log,
      ),
    ],
  });
  // No global registration and no context manager: contexts are passed explicitly, so no async hook runs per
  // request and nothing else in the process starts tracing by accident.
  const tracer = provider.getTracer(scope.name);
  const propagator = new W3CTraceContextPropagator();
  return {
    request(traceparent, tracestate, startedAt, requestId, surface) {
      const parent =
        traceparent === undefined
          ? ROOT_CONTEXT
          : propagator.extract(ROOT_CONTEXT, { traceparent, tracestate }, defaultTextMapGetter);
      const span = tracer.startSpan(
        `switchyard ${surface}`,
        {
          kind: SpanKind.SERVER,
          startTime: startedAt,
          attributes: { 'switchyard.request_id': requestId, 'switchyard.surface': surface },
        },
        parent,
      );
      return new OtelRequestTrace(tracer, propagator, span);
    },
    shutdown: () => provider.shutdown(),
  };
}

class OtelRequestTrace implements RequestTrace {
  private readonly context: Context;
  private readonly attempts: { span: Span; startedAt: number; record: AttemptRecord | null }[] = [];

  constructor(
    private readonly tracer: Tracer,
    private readonly propagator: W3CTraceContextPropagator,
    private readonly span: Span,
  ) {
    this.context = trace.setSpan(ROOT_CONTEXT, span);
  }

  attempt(resolved: ResolvedTarget, call: UpstreamCall): UpstreamCall {
    const startedAt = Date.now();
    const span = this.tracer.startSpan(
      'upstream attempt',
      {
        kind: SpanKind.CLIENT,
        startTime: startedAt,
        attributes: {
          'switchyard.target_id': resolved.target.id,
          'switchyard.provider_id': resolved.provider.id,
          'switchyard.account_id': resolved.account.id,
          'gen_ai.request.model': resolved.target.upstreamModel,
        },
      },
      this.context,
    );
    this.attempts.push({ span, startedAt, record: null });
    const headers = { ...call.headers };
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, span), headers, defaultTextMapSetter);
    return { url: call.url, headers, body: call.body };
  }

  record(attempt: AttemptRecord): void {
    const last = this.attempts[this.attempts.length - 1];
    if (last !== undefined) last.record = attempt;
  }

  end(event: UsageEventRecord, trafficClass: TrafficClass, publicModel: string): void {
    for (const { span, startedAt, record } of this.attempts) {
      if (record === null) {
        span.end();
        continue;
      }
      const attributes: Attributes = {
        'switchyard.attempt.reason': record.reason,
        'switchyard.latency_ms': record.latencyMs,
      };
      if (record.status !== null) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = record.status;
      if (record.errorClass !== null) {
        attributes[ATTR_ERROR_TYPE] = record.errorClass;
        span.setStatus({ code: SpanStatusCode.ERROR, message: record.errorClass });
      }
      span.setAttributes(attributes);
      span.end(startedAt + record.latencyMs);
    }
    const span = this.span;
    const attributes: Attributes = {
      'switchyard.route_id': event.routeId ?? '',
      'switchyard.public_model': publicModel,
      'gen_ai.request.model': event.requestedModel,
      'switchyard.status': event.status,
      'switchyard.traffic_class': trafficClass,
      'switchyard.attempts': event.attempts.length,
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: event.httpStatus,
      'gen_ai.usage.input_tokens': event.inputTokens,
      'gen_ai.usage.output_tokens': event.outputTokens,
      // Integer micro-USD; a string past 2^53 so an attribute never rounds money.
      'switchyard.cost_micros':
        event.costMicros <= BigInt(Number.MAX_SAFE_INTEGER)
          ? Number(event.costMicros)
          : String(event.costMicros),
    };
    if (event.servedProviderId !== null) attributes['switchyard.provider_id'] = event.servedProviderId;
    if (event.servedAccountId !== null) attributes['switchyard.account_id'] = event.servedAccountId;
    if (event.servedModel !== null) attributes['gen_ai.response.model'] = event.servedModel;
    if (event.errorClass !== null) {
      attributes[ATTR_ERROR_TYPE] = event.errorClass;
      span.setStatus({ code: SpanStatusCode.ERROR, message: event.errorClass });
    }
    span.setAttributes(attributes);
    span.end(event.createdAt + event.latencyMs);
  }
}
