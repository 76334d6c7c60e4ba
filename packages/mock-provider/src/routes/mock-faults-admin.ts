import type { ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { invalidRequest } from '../openai-error';
import { parseJsonBody } from './parse-json-body';

/** `GET /__mock/faults`: the instance faults in force. */
export function getMockFaults(ctx: MockContext, res: ServerResponse): void {
  sendJson(res, 200, ctx.faults);
}

/** `POST /__mock/faults`: replaces the instance faults with the JSON body (a `MockFaults`). */
export function postMockFaults(ctx: MockContext, res: ServerResponse, text: string): void {
  const body = parseJsonBody(text);
  if (!body.ok) {
    sendJson(
      res,
      400,
      invalidRequest('The body must be a JSON MockFaults object.', null, 'mock_invalid_faults'),
    );
    return;
  }
  try {
    sendJson(res, 200, ctx.setFaults(body.value));
  } catch (error) {
    sendJson(res, 400, invalidRequest((error as Error).message, null, 'mock_invalid_faults'));
  }
}

/** `DELETE /__mock/faults`: back to a healthy upstream. */
export function deleteMockFaults(ctx: MockContext, res: ServerResponse): void {
  sendJson(res, 200, ctx.setFaults({}));
}
