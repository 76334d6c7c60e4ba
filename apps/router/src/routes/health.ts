import type { ServerResponse } from 'node:http';
import { tokenCountsPending } from '../billing/token-count-thread';
import type { RouterContext } from '../router-context';

function json(res: ServerResponse, status: number, requestId: string, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': requestId });
  res.end(body);
}

/** GET /healthz — the process is up; which process (and ROUTER_WORKERS slot) answered. */
export function healthz(ctx: RouterContext, res: ServerResponse, requestId: string): void {
  json(res, 200, requestId, { status: 'ok', pid: process.pid, worker: ctx.worker });
}

/** GET /readyz — a config snapshot is loaded, so requests can be served. */
export function readyz(ctx: RouterContext, res: ServerResponse, requestId: string): void {
  const table = ctx.snapshots.current();
  json(res, table ? 200 : 503, requestId, {
    status: table ? 'ready' : 'starting',
    snapshotAgeMs: table ? ctx.now() - table.loadedAt : null,
    // Settlements waiting on a token count (each records its row once counted, 20 s at most), then rows
    // recorded and not yet stored: zero for both, and nothing spilled, means every request settled so far is stored.
    usageCounting: tokenCountsPending(),
    usagePending: ctx.usage.pending(),
    usageSpilled: ctx.usage.spilled(),
    usageAccepting: ctx.usage.accepting(),
  });
}
