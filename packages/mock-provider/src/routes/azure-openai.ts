import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../http-io';
import type { MockContext } from '../mock-context';
import { v1ChatCompletions } from './v1-chat-completions';
import { v1Embeddings } from './v1-embeddings';
import { v1Models } from './v1-models';

/** Where Azure OpenAI's data-plane routes live on a resource endpoint (`https://<resource>.openai.azure.com`). */
export const AZURE_PREFIX = '/openai/';
const DEPLOYMENT_CALL = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/;
/** `2024-10-21`, `2025-01-01-preview`: the shape of every api-version Azure has published. */
const API_VERSION = /^\d{4}-\d{2}-\d{2}(-preview)?$/;

/** Azure's `{error:{code,message}}`, as its gateway answers before a deployment sees the request. */
function azureError(code: string, message: string) {
  return { error: { code, message } };
}

/** The key of an Azure request: the `api-key` header (Entra ID bearer tokens are not modelled). */
function azureKeyOf(req: IncomingMessage): string | undefined {
  const key = req.headers['api-key'];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/**
 * What Azure checks before the deployment: the `api-key` header (401) and the `api-version` query parameter
 * (404 `Resource not found` without one, as Azure answers; 400 for one of the wrong shape). True when it answered.
 */
function refused(req: IncomingMessage, res: ServerResponse): boolean {
  if (azureKeyOf(req) === undefined) {
    sendJson(
      res,
      401,
      azureError(
        '401',
        'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
      ),
    );
    return true;
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const version = query === -1 ? null : new URLSearchParams(url.slice(query + 1)).get('api-version');
  if (version === null || version === '') {
    sendJson(res, 404, azureError('404', 'Resource not found'));
    return true;
  }
  if (!API_VERSION.test(version)) {
    sendJson(res, 400, azureError('BadRequest', 'API version not supported'));
    return true;
  }
  return false;
}

/**
 * `POST /openai/deployments/{deployment}/chat/completions?api-version=…` and `…/embeddings?api-version=…`: Azure
 * OpenAI's chat and embeddings routes. The deployment names the model (a body `model` is ignored, as Azure does)
 * and the `api-key` header is the key `byKey` faults and the stats use; past those checks each answers exactly
 * as `/v1/chat/completions` and `/v1/embeddings`.
 */
export function azureDeploymentCall(
  ctx: MockContext,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): void {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const match = DEPLOYMENT_CALL.exec(query === -1 ? url : url.slice(0, query));
  if (match === null) {
    sendJson(res, 404, azureError('404', 'Resource not found'));
    return;
  }
  if (refused(req, res)) return;
  let deployment: string;
  try {
    deployment = decodeURIComponent(match[1] as string);
  } catch {
    deployment = match[1] as string;
  }
  const identity = { model: deployment, apiKeyOf: azureKeyOf };
  if (match[2] === 'embeddings') v1Embeddings(ctx, req, res, text, identity);
  else v1ChatCompletions(ctx, req, res, text, identity);
}

/**
 * `GET /openai/models?api-version=…`: the models the resource offers (what an active health check calls); `byKey`
 * faults go by the `api-key`.
 */
export function azureModels(ctx: MockContext, req: IncomingMessage, res: ServerResponse): void {
  if (refused(req, res)) return;
  v1Models(ctx, req, res, undefined, azureKeyOf(req));
}
