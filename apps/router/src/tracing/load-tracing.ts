import type { Logger } from '../logger';
import type { Tracing } from './tracing';

/** What tracing needs from the validated environment. */
export interface TracingSettings {
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans are POSTed to `<endpoint>/v1/traces`. */
  endpoint: string | undefined;
  serviceName: string;
  /** Longest a finished span waits in the batch before it is exported. */
  exportDelayMs: number;
}

/**
 * The tracing of this process, or null when no endpoint is set. The OpenTelemetry SDK is imported here, on demand,
 * so a router without tracing never loads it.
 */
export async function loadTracing(settings: TracingSettings, logger: Logger): Promise<Tracing | null> {
  if (settings.endpoint === undefined) return null;
  const { startOtelTracing } = await import('./start-otel-tracing');
  const tracing = startOtelTracing({ ...settings, endpoint: settings.endpoint }, logger);
  logger.info('tracing on', { endpoint: tracesUrl(settings.endpoint), serviceName: settings.serviceName });
  return tracing;
}

/** The OTLP/HTTP traces URL of a collector's base endpoint (the spec's rule: append `v1/traces`). */
export function tracesUrl(endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`;
}
