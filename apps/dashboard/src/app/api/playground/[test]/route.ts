import { newId } from '@switchyard/db/admin';
import { type NextRequest, NextResponse } from 'next/server';
import { getEnv } from '@/env';
import { authenticateAdminRequest } from '@/http/authenticate-admin-request';
import { readBodyCapped } from '@/http/read-body-capped';
import { getAdminContext } from '@/server/admin-context';
import { ADMIN_ERROR_STATUS, AdminError, toAdminError } from '@/server/admin-error';
import { openPlaygroundSession } from '@/server/playground-session';
import {
  postChat,
  RELAYED_HEADERS,
  runSmokeTest,
  SMOKE_PROMPT,
  SMOKE_TESTS,
  type SmokeTest,
  smokeTestBody,
} from '@/server/playground-smoke-tests';

const BODY_LIMIT_BYTES = 16 * 1024;

/**
 * One playground smoke test, run by the dashboard server against the router (the console's CSP allows the page to
 * talk to its own origin only, and the router sends no CORS headers). The browser names the test and the model and
 * hands back its sealed session; the requests themselves are fixed here, so this route relays nothing a caller
 * writes. `stream` relays the router's event stream as it arrives, with the readback headers; the others answer
 * JSON (SmokeTestResult).
 */
export async function POST(
  req: NextRequest,
  context: { params: Promise<{ test: string }> },
): Promise<Response> {
  const requestId = newId('req');
  const headers = { 'x-request-id': requestId, 'cache-control': 'no-store' };
  try {
    const ctx = getAdminContext();
    const actor = await authenticateAdminRequest(req, ctx);
    const { test } = await context.params;
    if (!SMOKE_TESTS.includes(test as SmokeTest)) {
      throw new AdminError('not_found', `No smoke test ${test}; one of ${SMOKE_TESTS.join(', ')}.`);
    }
    const text = await readBodyCapped(req, BODY_LIMIT_BYTES);
    if (text === null) throw new AdminError('invalid_request', 'body: at most 16 KiB', 'body');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AdminError('invalid_request', 'body: must be JSON', 'body');
    }
    const body = smokeTestBody.parse(json);
    const env = getEnv();
    const { plaintext } = await openPlaygroundSession(actor, body.session, env.NEXTAUTH_SECRET);
    const routerUrl = env.ROUTER_PUBLIC_URL.replace(/\/+$/, '');
    if (test === 'stream') {
      const { res } = await postChat(
        routerUrl,
        plaintext,
        {
          model: body.model,
          messages: [{ role: 'user', content: SMOKE_PROMPT }],
          stream: true,
          stream_options: { include_usage: true },
        },
        // The browser going away ends the upstream call too.
        req.signal,
      );
      // The router's request id and readback headers, as the router sent them (the page shows and links them).
      const relayed = new Headers();
      for (const name of RELAYED_HEADERS) {
        const value = res.headers.get(name);
        if (value !== null) relayed.set(name, value);
      }
      relayed.set('x-router-status', String(res.status));
      // no-transform: a compressing layer would buffer the chunks the page shows as they arrive.
      relayed.set('cache-control', 'no-store, no-transform');
      relayed.set('content-type', res.headers.get('content-type') ?? 'text/event-stream');
      return new Response(res.body, { status: 200, headers: relayed });
    }
    const result = await runSmokeTest(test as Exclude<SmokeTest, 'stream'>, routerUrl, plaintext, body.model);
    return NextResponse.json(result, { headers });
  } catch (error) {
    const adminError = toAdminError(error);
    if (adminError.code === 'internal') {
      console.error(
        JSON.stringify({
          level: 'error',
          msg: 'playground smoke test failed',
          requestId,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        }),
      );
    }
    return NextResponse.json(
      {
        error: {
          code: adminError.code,
          message:
            adminError.code === 'internal' && error instanceof Error && error.name === 'TypeError'
              ? 'The dashboard could not reach the router (check ROUTER_PUBLIC_URL).'
              : adminError.message,
          requestId,
          ...(adminError.field === undefined ? {} : { field: adminError.field }),
        },
      },
      { status: ADMIN_ERROR_STATUS[adminError.code], headers },
    );
  }
}
