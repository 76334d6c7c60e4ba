import { newId } from '@switchyard/db/admin';
import { type NextRequest, NextResponse } from 'next/server';
import { type Actor, auditActor, clientOf } from '../server/actor';
import { type AdminContext, getAdminContext } from '../server/admin-context';
import { ADMIN_ERROR_STATUS, toAdminError } from '../server/admin-error';
import { recordAuditEvent } from '../server/audit';
import { logServerEvent } from '../server/log-server-event';
import { authorize, authorizeAnyWrite } from '../server/permissions';
import { authenticateAdminRequest } from './authenticate-admin-request';

export interface AdminRequest<P> {
  req: NextRequest;
  ctx: AdminContext;
  actor: Actor;
  params: P;
}

/**
 * What a handler answers; `body: null` with 204 sends no body. `file` sends text as a download instead of JSON:
 * a string, or chunks streamed as they are produced (a long export).
 */
export interface AdminResult {
  status: number;
  body: unknown;
  file?: { contentType: string; filename: string; text: string | AsyncIterable<string> };
}

export const ok = (body: unknown): AdminResult => ({ status: 200, body });
export const created = (body: unknown): AdminResult => ({ status: 201, body });
export const noContent = (): AdminResult => ({ status: 204, body: null });
export const download = (
  filename: string,
  contentType: string,
  text: string | AsyncIterable<string>,
): AdminResult => ({
  status: 200,
  body: null,
  file: { contentType, filename, text },
});

/**
 * Chunks as a byte stream, pulled as the client reads. The status line is sent already, so a failure midway can
 * only cut the download short (the client sees it incomplete) and is logged with the request id.
 */
function streamOf(chunks: AsyncIterable<string>, requestId: string): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logServerEvent('error', 'admin api download failed midway', { requestId, error });
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Methods that change nothing. */
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Wraps one admin API handler: request id, authentication, the first authorisation gate (a caller who may not
 * write anything gets 403 on every write, before its body is read), and the one error shape
 * `{ error: { code, message, requestId } }`. The specific permission (config, keys of which team, users, tokens)
 * is checked by the server function, which the console's server actions call too.
 */
export function adminRoute<P = Record<string, never>>(
  handler: (request: AdminRequest<P>) => Promise<AdminResult>,
): (req: NextRequest, context: { params: Promise<P> }) => Promise<Response> {
  return async (req, context) => {
    const requestId = newId('req');
    const headers = { 'x-request-id': requestId, 'cache-control': 'no-store' };
    let ctx: AdminContext | undefined;
    let actor: Actor | undefined;
    try {
      ctx = getAdminContext();
      actor = await authenticateAdminRequest(req, ctx);
      if (READ_METHODS.has(req.method)) authorize(actor, 'read');
      else authorizeAnyWrite(actor);
      const result = await handler({ req, ctx, actor, params: await context.params });
      if (result.status === 204) return new Response(null, { status: 204, headers });
      if (result.file) {
        const { text } = result.file;
        return new Response(typeof text === 'string' ? text : streamOf(text, requestId), {
          status: result.status,
          headers: {
            ...headers,
            'content-type': result.file.contentType,
            'content-disposition': `attachment; filename="${result.file.filename}"`,
          },
        });
      }
      return NextResponse.json(result.body, { status: result.status, headers });
    } catch (error) {
      const adminError = toAdminError(error);
      if (adminError.code === 'forbidden' && ctx) {
        // A refused action is audited: a viewer trying to write, a cross-site write with a cookie.
        await recordAuditEvent(
          ctx,
          actor ? auditActor(actor) : { type: 'anonymous', id: null },
          {
            action: 'auth.denied',
            targetType: 'admin_api',
            targetId: `${req.method} ${req.nextUrl.pathname}`.slice(0, 500),
            details: { requestId, reason: adminError.message },
          },
          clientOf(req.headers),
        );
      }
      if (adminError.code === 'internal') {
        logServerEvent('error', 'admin api request failed', {
          requestId,
          method: req.method,
          path: req.nextUrl.pathname,
          error,
        });
      }
      const body = {
        error: {
          code: adminError.code,
          message: adminError.message,
          requestId,
          ...(adminError.field === undefined ? {} : { field: adminError.field }),
          ...(adminError.issues === undefined ? {} : { issues: adminError.issues }),
        },
      };
      return NextResponse.json(body, { status: ADMIN_ERROR_STATUS[adminError.code], headers });
    }
  };
}
