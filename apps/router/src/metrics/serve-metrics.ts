import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '../logger';

/** Where and how /metrics is served (ROUTER_METRICS_* settings). */
export interface MetricsEndpointOptions {
  /** A port of its own (with `host`), or null to serve /metrics on the router's port. */
  port: number | null;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | null;
}

/**
 * Where a scrape's text comes from: this process's registry, or with ROUTER_WORKERS every worker's, aggregated by
 * the primary (cluster/cluster-metrics.ts).
 */
export interface MetricsText {
  metrics(): Promise<string>;
  readonly contentType: string;
}

/** Answers GET /metrics: the registry as Prometheus text, behind the bearer token when one is configured. */
export function serveMetrics(
  source: MetricsText,
  token: string | null,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = token === null ? null : Buffer.from(`Bearer ${token}`);
  return (req, res) => {
    req.resume();
    if (expected !== null && !presents(req.headers.authorization, expected)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('A metrics token is required.\n');
      return;
    }
    source.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': source.contentType });
        res.end(text);
      },
      (error: unknown) => {
        logger.error('metrics: a collector failed', {
          error: error instanceof Error ? error.message : String(error),
        });
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('Metrics could not be collected.\n');
      },
    );
  };
}

function presents(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined) return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A server answering only GET /metrics, for ROUTER_METRICS_PORT (scrapes kept off the public listener). */
export function createMetricsServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Server {
  return createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) return handler(req, res);
    req.resume();
    res.writeHead(path === '/metrics' ? 405 : 404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(path === '/metrics' ? 'Method not allowed.\n' : 'Not found.\n');
  });
}
