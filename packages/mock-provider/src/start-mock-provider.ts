import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendJson } from './http-io';
import { MockContext } from './mock-context';
import type { MockFaults } from './mock-faults';
import type { MockStats } from './mock-stats';
import { invalidRequest } from './openai-error';
import { deleteMockFaults, getMockFaults, postMockFaults } from './routes/mock-faults-admin';
import { getMockStats, resetMockStats } from './routes/mock-stats-admin';
import { v1ChatCompletions } from './routes/v1-chat-completions';
import { v1Embeddings } from './routes/v1-embeddings';
import { v1Models } from './routes/v1-models';

export interface StartMockProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Instance faults from the start; see `MockFaults`. */
  faults?: MockFaults;
  /** Clock in ms for `created`; default `Date.now`. */
  now?: () => number;
}

/** A running mock provider. */
export interface MockProvider {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:4010/v1`: what an OpenAI SDK takes as `baseURL`. */
  url: string;
  /** The URL without `/v1`, for `/healthz` and `/__mock/*`. */
  origin: string;
  port: number;
  host: string;
  /** Stops listening, drops open connections (hung requests included) and cancels pending timers. */
  close(): Promise<void>;
  /** Replaces the instance faults, like `POST /__mock/faults`; throws a TypeError naming a bad field. */
  setFaults(faults: MockFaults): void;
  /** The instance faults in force, like `GET /__mock/faults`. */
  getFaults(): MockFaults;
  /** Like `GET /__mock/stats`. */
  stats(): MockStats;
  /** Like `POST /__mock/stats/reset`. */
  resetStats(): void;
}

const MODELS_PREFIX = '/v1/models/';

function modelIdOf(path: string): string | undefined {
  if (path.length <= MODELS_PREFIX.length) return undefined;
  try {
    return decodeURIComponent(path.slice(MODELS_PREFIX.length));
  } catch {
    return path.slice(MODELS_PREFIX.length);
  }
}

/** Reads the body of a `/v1` POST and hands it to its endpoint; 413 when it is too large. */
function withBody(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: (ctx: MockContext, req: IncomingMessage, res: ServerResponse, text: string) => void,
): void {
  res.on('close', ctx.onResponseClose);
  readBody(req, (text) => {
    if (text === undefined) sendJson(res, 413, invalidRequest('Request body too large.'));
    else endpoint(ctx, req, res, text);
  });
}

function route(ctx: MockContext, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const method = req.method;

  if (method === 'POST' && path === '/v1/chat/completions') withBody(ctx, req, res, v1ChatCompletions);
  else if (method === 'POST' && path === '/v1/embeddings') withBody(ctx, req, res, v1Embeddings);
  else if (method === 'GET' && (path === '/v1/models' || path.startsWith(MODELS_PREFIX))) {
    res.on('close', ctx.onResponseClose);
    v1Models(ctx, req, res, modelIdOf(path));
  } else if (method === 'GET' && path === '/healthz') sendJson(res, 200, { status: 'ok' });
  else if (method === 'GET' && path === '/__mock/faults') getMockFaults(ctx, res);
  else if (method === 'POST' && path === '/__mock/faults')
    readBody(req, (text) => postMockFaults(ctx, res, text ?? ''));
  else if (method === 'DELETE' && path === '/__mock/faults') deleteMockFaults(ctx, res);
  else if (method === 'GET' && path === '/__mock/stats') getMockStats(ctx, res);
  else if (method === 'POST' && path === '/__mock/stats/reset') resetMockStats(ctx, res);
  else sendJson(res, 404, invalidRequest(`Invalid URL (${method} ${path})`));
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts a real HTTP server that fakes an OpenAI-compatible upstream. Resolves once it listens.
 * Rejects when the port is taken or the faults are invalid.
 */
export async function startMockProvider(options: StartMockProviderOptions = {}): Promise<MockProvider> {
  const host = options.host ?? '127.0.0.1';
  const ctx = new MockContext(options.now ?? Date.now);
  ctx.setFaults(options.faults ?? {});

  const server = createServer({ noDelay: true, keepAlive: true }, (req, res) => route(ctx, req, res));
  // Longer than any client pool's idle timeout, so the client, not the mock, retires idle sockets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${formatHost(host)}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/v1`,
    origin,
    port,
    host,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        ctx.closing = true;
        ctx.cancelTimers();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
    setFaults(faults) {
      ctx.setFaults(faults);
    },
    getFaults: () => structuredClone(ctx.faults),
    stats: () => ctx.stats.snapshot(),
    resetStats: () => ctx.stats.reset(),
  };
}
