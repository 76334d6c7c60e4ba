import { parentPort, workerData } from 'node:worker_threads';
import {
  type Attributes,
  createTraceState,
  DiagLogLevel,
  diag,
  type HrTime,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, type ReadableSpan, type TimedEvent } from '@opentelemetry/sdk-trace-base';
import { lowerThreadPriority } from '../lower-thread-priority';

/** A span context as it crosses threads: its trace state serialized (a TraceState's methods do not survive a copy). */
export interface SpanContextRecord {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote: boolean | undefined;
  traceState: string | undefined;
}
/** An ended span as it crosses threads: plain data, everything the OTLP serializer reads of a ReadableSpan. */
export interface SpanRecord {
  context: SpanContextRecord;
  parent: SpanContextRecord | undefined;
  name: string;
  kind: SpanKind;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: TimedEvent[];
  links: { context: SpanContextRecord; attributes?: Attributes; droppedAttributesCount?: number }[];
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
}
export interface ExportThreadData {
  /** The OTLP/HTTP traces URL. */
  url: string;
  exportDelayMs: number;
  /** The tracer provider's resource attributes: every span here shares one resource, as in the provider. */
  resourceAttributes: Attributes;
  scope: { name: string };
  /** Spans posted to this thread and not yet handed to its batch processor (an Int32Array's one slot). */
  queued: SharedArrayBuffer;
  nice: number;
}
export type ExportRequest =
  | { spans: SpanRecord[] }
  | { id: number; flush: true }
  | { id: number; shutdown: true };
export type ExportReply =
  | { id: number }
  /** What the SDK reported through its diag at warn level or above (a failed export, say), as one line. */
  | { level: 'error' | 'warn'; problem: string };

// Runs in a worker thread: turning a batch of spans into OTLP JSON took the request thread up to ~30 ms at a time
// (512 spans, measured with a 1 ms timer beside 1,000 spans/s), so spans arrive here as plain records and the SDK's
// own batch processor and exporter run here. They read their standard variables (OTEL_EXPORTER_OTLP_HEADERS,
// _TIMEOUT, _COMPRESSION, certificates, OTEL_BSP_*) from this thread's copy of the environment, the process's.
const data = workerData as ExportThreadData;
const port = parentPort;
if (!port) throw new Error('span-export-worker must run as a worker thread');
// Exporting has slack (spans wait up to the batch delay anyway): the request thread goes first on a shared core.
lowerThreadPriority(data.nice);
// The SDK reports a failed export only through diag: hand those lines to the router's logger.
const report =
  (level: 'error' | 'warn') =>
  (message: string, ...args: unknown[]): void =>
    port.postMessage({ level, problem: [message, ...args].map(describe).join(' ') } satisfies ExportReply);
const ignore = () => {};
diag.setLogger(
  { error: report('error'), warn: report('warn'), info: ignore, debug: ignore, verbose: ignore },
  DiagLogLevel.WARN,
);
const queued = new Int32Array(data.queued);
const resource = resourceFromAttributes(data.resourceAttributes);
const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: data.url }), {
  scheduledDelayMillis: data.exportDelayMs,
});

function spanContextOf(record: SpanContextRecord): SpanContext {
  return {
    traceId: record.traceId,
    spanId: record.spanId,
    traceFlags: record.traceFlags,
    isRemote: record.isRemote,
    traceState: record.traceState === undefined ? undefined : createTraceState(record.traceState),
  };
}

/**
 * One argument of a diag call as text: an Error by its message, never a whole object (headers may be in it). The
 * SDK's error handler passes a failed export as the error's properties in JSON (stack and all): its message is kept.
 */
function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'string' && value.startsWith('{')) {
    try {
      const message = (JSON.parse(value) as { message?: unknown }).message;
      if (typeof message === 'string') return message;
    } catch {
      // Not JSON after all: the string as it is.
    }
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : typeof value;
}

/** The ReadableSpan the exporter expects, rebuilt from its record. */
function readableSpanOf(record: SpanRecord): ReadableSpan {
  const context = spanContextOf(record.context);
  return {
    name: record.name,
    kind: record.kind,
    spanContext: () => context,
    parentSpanContext: record.parent === undefined ? undefined : spanContextOf(record.parent),
    startTime: record.startTime,
    endTime: record.endTime,
    duration: record.duration,
    status: record.status,
    attributes: record.attributes,
    events: record.events,
    links: record.links.map((link) => ({ ...link, context: spanContextOf(link.context) })),
    ended: true,
    resource,
    instrumentationScope: data.scope,
    droppedAttributesCount: record.droppedAttributesCount,
    droppedEventsCount: record.droppedEventsCount,
    droppedLinksCount: record.droppedLinksCount,
  };
}

/** Runs `work` and answers `id` however it ends: a failed export is the SDK's to report (diag), never a crash. */
function answer(id: number, work: Promise<void>): void {
  void work.catch(() => {}).finally(() => port?.postMessage({ id } satisfies ExportReply));
}

port.on('message', (message: ExportRequest) => {
  if ('spans' in message) {
    for (const record of message.spans) processor.onEnd(readableSpanOf(record));
    Atomics.sub(queued, 0, message.spans.length);
  } else if ('flush' in message) answer(message.id, processor.forceFlush());
  else answer(message.id, processor.shutdown());
});
