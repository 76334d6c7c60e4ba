import type { IncomingMessage, ServerResponse } from 'node:http';
import { applyFaults } from '../apply-faults';
import { sendJson } from '../http-io';
import { buildImagesResponse, MAX_IMAGE_SIDE, parseImagesRequest } from '../images';
import type { MockContext } from '../mock-context';
import { solidPng } from '../mock-png';
import { UNPARSABLE_JSON } from '../parse-chat-request';
import { receiveJsonRequest } from './receive-json-request';

/** `POST /v1/images/generations`: solid-colour PNGs, base64 or URLs this mock serves. */
export function v1ImagesGenerations(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): void {
  const { body, model, apiKey, requestId } = receiveJsonRequest(ctx, req, text);
  const headers = { 'x-request-id': requestId };
  applyFaults(ctx, req, res, requestId, model, apiKey, (faults) => {
    if (!body.ok) return sendJson(res, 400, UNPARSABLE_JSON, headers);
    const parsed = parseImagesRequest(body.value);
    if (!parsed.ok) return sendJson(res, 400, parsed.error, headers);
    if (faults.dropAfterChunks !== undefined) return ctx.drop(res);
    const origin = `http://${req.headers.host ?? 'localhost'}`;
    sendJson(
      res,
      200,
      buildImagesResponse(parsed.value, Math.floor(ctx.now() / 1000), origin, solidPng),
      headers,
    );
  });
}

const IMAGE_PATH = /^\/__mock\/images\/(\d{2,4})x(\d{2,4})\/([0-9a-f]{6})\.png$/;

/** `GET /__mock/images/{w}x{h}/{rrggbb}.png`: the image a `url` answer points at; 404 for anything else. */
export function getMockImage(res: ServerResponse, path: string): void {
  const match = IMAGE_PATH.exec(path);
  const width = Number(match?.[1]);
  const height = Number(match?.[2]);
  if (match === null || width < 16 || height < 16 || width > MAX_IMAGE_SIDE || height > MAX_IMAGE_SIDE) {
    sendJson(res, 404, {
      error: { message: 'No such image.', type: 'invalid_request_error', param: null, code: null },
    });
    return;
  }
  const png = solidPng(width, height, Number.parseInt(match[3]!, 16));
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
  res.end(png);
}
