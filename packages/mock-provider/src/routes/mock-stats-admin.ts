import type { ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';

/** `GET /__mock/stats`: see `MockStats`. */
export function getMockStats(ctx: MockContext, res: ServerResponse): void {
  sendJson(res, 200, ctx.stats.snapshot());
}

/** `POST /__mock/stats/reset`: zeroes the counters and answers with the (empty) stats. */
export function resetMockStats(ctx: MockContext, res: ServerResponse): void {
  ctx.stats.reset();
  sendJson(res, 200, ctx.stats.snapshot());
}
