import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicError } from './anthropic/anthropic-error';
import { geminiError } from './gemini/gemini-error';
import { parseGeminiPath } from './gemini/parse-gemini-path';
import { readBody, sendJson } from './http-io';
import { MockContext } from './mock-context';
import type { MockFaults } from './mock-faults';
import type { MockStats } from './mock-stats';
import { invalidRequest } from './openai-error';
import { AZURE_PREFIX, azureDeploymentCall, azureModels } from './routes/azure-openai';
import { deleteMockFaults, getMockFaults, postMockFaults } from './routes/mock-faults-admin';
import { getMockStats, resetMockStats } from './routes/mock-stats-admin';
import { v1ChatCompletions } from './routes/v1-chat-completions';
import { v1Completions } from './routes/v1-completions';
import { v1Embeddings } from './routes/v1-embeddings';
import { getMockImage, v1ImagesGenerations } from './routes/v1-images-generations';
import { v1Messages } from './routes/v1-messages';
import { v1MessagesCountTokens } from './routes/v1-messages-count-tokens';
import { v1Models } from './routes/v1-models';
import { v1Responses } from './routes/v1-responses';
import { v1betaCountTokens } from './routes/v1beta-count-tokens';
import { v1betaEmbedContent } from './routes/v1beta-embed-content';
import { v1betaGenerateContent } from './routes/v1beta-generate-content';
import { v1betaListModels } from './routes/v1beta-list-models';

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

type JsonEndpoint = (ctx: MockContext, req: IncomingMessage, res: ServerResponse, text: string) => void;

/** `POST` endpoints other than chat completions (checked first: it is the benchmarked path). */
const POST_ENDPOINTS: ReadonlyMap<string, JsonEndpoint> = new Map([
  ['/v1/embeddings', v1Embeddings],
  ['/v1/responses', v1Responses],
  ['/v1/completions', v1Completions],
  ['/v1/images/generations', v1ImagesGenerations],
  ['/v1/messages', v1Messages],
  ['/v1/messages/count_tokens', v1MessagesCountTokens],
]);

/** Whether a path is Gemini's `models/{model}:{method}` form (`/v1beta/…`, or `/v1/…` with a colon). */
function isGeminiPath(path: string): boolean {
  return path.startsWith('/v1beta/') || (path.startsWith(MODELS_PREFIX) && path.includes(':'));
}

/** `POST /v1beta/models/{model}:{method}`: Gemini's routes, or Google's 404 for an unknown method. */
function routeGemini(ctx: MockContext, req: IncomingMessage, res: ServerResponse, path: string): void {
  const parsed = parseGeminiPath(path);
  const model = parsed?.model ?? '';
  switch (parsed?.method) {
    case 'generateContent':
      withBody(ctx, req, res, (c, q, r, text) => v1betaGenerateContent(c, q, r, text, model, false));
      break;
    case 'streamGenerateContent':
      withBody(ctx, req, res, (c, q, r, text) => v1betaGenerateContent(c, q, r, text, model, true));
      break;
    case 'embedContent':
      withBody(ctx, req, res, (c, q, r, text) => v1betaEmbedContent(c, q, r, text, model, false));
      break;
    case 'batchEmbedContents':
      withBody(ctx, req, res, (c, q, r, text) => v1betaEmbedContent(c, q, r, text, model, true));
      break;
    case 'countTokens':
      withBody(ctx, req, res, (c, q, r, text) => v1betaCountTokens(c, q, r, text, model));
      break;
    default:
      sendJson(res, 404, geminiError(404, `Method not found: POST ${path}`));
  }
}

/** Not found, in the error shape of the protocol the path belongs to. */
function notFound(res: ServerResponse, method: string | undefined, path: string): void {
  if (path.startsWith('/v1/messages')) {
    sendJson(res, 404, anthropicError('not_found_error', `Not found: ${method} ${path}`));
  } else if (path.startsWith('/v1beta/')) {
    sendJson(res, 404, geminiError(404, `Method not found: ${method} ${path}`));
  } else sendJson(res, 404, invalidRequest(`Invalid URL (${method} ${path})`));
}

function route(ctx: MockContext, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  const method = req.method;

  if (method === 'POST' && path === '/v1/chat/completions') withBody(ctx, req, res, v1ChatCompletions);
  else if (method === 'POST' && POST_ENDPOINTS.has(path)) withBody(ctx, req, res, POST_ENDPOINTS.get(path)!);
  else if (method === 'POST' && isGeminiPath(path)) routeGemini(ctx, req, res, path);
  else if (method === 'POST' && path.startsWith(AZURE_PREFIX)) withBody(ctx, req, res, azureDeploymentCall);
  else if (method === 'GET' && path === '/openai/models') {
    res.on('close', ctx.onResponseClose);
    azureModels(ctx, req, res);
  } else if (method === 'GET' && path === '/v1beta/models') {
    res.on('close', ctx.onResponseClose);
    v1betaListModels(ctx, req, res);
  } else if (method === 'GET' && (path === '/v1/models' || path.startsWith(MODELS_PREFIX))) {
    res.on('close', ctx.onResponseClose);
    v1Models(ctx, req, res, modelIdOf(path));
  } else if (method === 'GET' && path === '/healthz') sendJson(res, 200, { status: 'ok' });
  else if (method === 'GET' && path === '/__mock/faults') getMockFaults(ctx, res);
  else if (method === 'POST' && path === '/__mock/faults')
    readBody(req, (text) => postMockFaults(ctx, res, text ?? ''));
  else if (method === 'DELETE' && path === '/__mock/faults') deleteMockFaults(ctx, res);
  else if (method === 'GET' && path === '/__mock/stats') getMockStats(ctx, res);
  else if (method === 'POST' && path === '/__mock/stats/reset') resetMockStats(ctx, res);
  else if (method === 'GET' && path.startsWith('/__mock/images/')) getMockImage(res, path);
  else notFound(res, method, path);
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
