import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PathParams } from '../surfaces/surface';

/** Answers one request to a route; `url` is the request target as received, `params` the path's placeholders. */
export type RouteHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  url: string,
  params: PathParams,
) => void;

/** One route: a method and a path, exact or with one `{name}` placeholder matching a single segment. */
export interface RouteDefinition {
  method: string;
  path: string;
  handler: RouteHandler;
}

/** The handlers of one path by method, and the `allow` header a wrong method is answered with. */
export interface PathRoutes {
  readonly handlers: ReadonlyMap<string, RouteHandler>;
  readonly allow: string;
}

/** A path that matched: its routes and placeholder values. */
export interface RouteMatch {
  readonly routes: PathRoutes;
  readonly params: PathParams;
}

interface Pattern {
  prefix: string;
  suffix: string;
  name: string;
  match: RouteMatch;
}

const NO_PARAMS: PathParams = Object.freeze({});
const PLACEHOLDER = /^([^{}]*)\{([a-zA-Z]\w*)\}([^{}]*)$/;

/**
 * The router's routes, looked up by path: exact paths are one map read and allocate nothing; placeholder paths
 * (`/v1beta/models/{model}:generateContent`) are tried in order after them. Adding a surface adds its routes here,
 * not a branch in the server.
 */
export class RouteTable {
  private readonly exact = new Map<string, RouteMatch>();
  private readonly patterns: Pattern[] = [];

  constructor(definitions: readonly RouteDefinition[]) {
    const byPath = new Map<string, Map<string, RouteHandler>>();
    for (const { method, path, handler } of definitions) {
      let handlers = byPath.get(path);
      if (!handlers) {
        handlers = new Map();
        byPath.set(path, handlers);
      }
      if (handlers.has(method)) throw new Error(`Two routes answer ${method} ${path}.`);
      handlers.set(method, handler);
    }
    for (const [path, handlers] of byPath) {
      const routes: PathRoutes = { handlers, allow: [...handlers.keys()].join(', ') };
      const placeholder = PLACEHOLDER.exec(path);
      if (placeholder === null) {
        if (path.includes('{')) throw new Error(`Route path ${path} has more than one placeholder.`);
        this.exact.set(path, { routes, params: NO_PARAMS });
      } else {
        const [, prefix = '', name = '', suffix = ''] = placeholder;
        this.patterns.push({ prefix, suffix, name, match: { routes, params: NO_PARAMS } });
      }
    }
  }

  /** The routes of `path` (without its query) and its placeholder values; null when no route has that path. */
  lookup(path: string): RouteMatch | null {
    const exact = this.exact.get(path);
    if (exact !== undefined) return exact;
    for (const pattern of this.patterns) {
      if (
        path.length <= pattern.prefix.length + pattern.suffix.length ||
        !path.startsWith(pattern.prefix) ||
        !path.endsWith(pattern.suffix)
      )
        continue;
      const raw = path.slice(pattern.prefix.length, path.length - pattern.suffix.length);
      if (raw.includes('/')) continue;
      let value: string;
      try {
        value = decodeURIComponent(raw);
      } catch {
        continue;
      }
      return { routes: pattern.match.routes, params: { [pattern.name]: value } };
    }
    return null;
  }
}
