// Serves the admin API's real route modules (src/app/api/admin/v1/**/route.ts) over node:http, for integration
// tests of admin API clients (the config CLI) without a `next build`. Run with tsx from apps/dashboard so the
// modules' `@/` imports resolve; the handlers read DATABASE_URL, SWITCHYARD_ADMIN_TOKEN, … as under `next start`.
// Dispatch follows Next's file conventions: a static segment beats `[param]`, `[...path]` catches the rest.
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { NextRequest } from 'next/server';
import { listAdminRouteFiles } from './admin-route-files';

type Handler = (req: NextRequest, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>;

interface LoadedRoute {
  segments: string[];
  module: Record<string, unknown>;
}

const routes: LoadedRoute[] = [];
for (const route of listAdminRouteFiles()) {
  routes.push({
    segments: route.path.split('/').filter(Boolean),
    module: (await import(pathToFileURL(route.file).href)) as Record<string, unknown>,
  });
}
// Most specific first: compare segment by segment, static < {param} < {...catchAll}.
const rank = (segment: string | undefined) =>
  segment === undefined ? 0 : segment.startsWith('{...') ? 3 : segment.startsWith('{') ? 2 : 1;
routes.sort((a, b) => {
  for (let i = 0; i < Math.max(a.segments.length, b.segments.length); i += 1) {
    const diff = rank(a.segments[i]) - rank(b.segments[i]);
    if (diff !== 0) return diff;
  }
  return 0;
});

function match(route: LoadedRoute, parts: string[]): Record<string, unknown> | null {
  const params: Record<string, unknown> = {};
  for (const [i, segment] of route.segments.entries()) {
    const catchAll = /^\{\.\.\.(\w+)\}$/.exec(segment);
    if (catchAll?.[1]) {
      if (parts.length <= i) return null;
      params[catchAll[1]] = parts.slice(i);
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    const param = /^\{(\w+)\}$/.exec(segment);
    if (param?.[1]) params[param[1]] = decodeURIComponent(part);
    else if (segment !== part) return null;
  }
  return parts.length === route.segments.length ? params : null;
}

const PREFIX = '/api/admin/v1/';

const server = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const parts = url.pathname.startsWith(PREFIX)
      ? url.pathname.slice(PREFIX.length).split('/').filter(Boolean)
      : null;
    const found =
      parts && routes.map((route) => ({ route, params: match(route, parts) })).find((m) => m.params);
    const handler = found?.route.module[req.method ?? 'GET'] as Handler | undefined;
    if (!found?.params || !handler) {
      res.writeHead(found ? 405 : 404).end();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string') headers.set(name, value);
    }
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const request = new NextRequest(url, { method: req.method, headers, body });
    const response = await handler(request, { params: Promise.resolve(found.params) });
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error(error);
    res.writeHead(500).end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(`admin api listening on http://127.0.0.1:${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
