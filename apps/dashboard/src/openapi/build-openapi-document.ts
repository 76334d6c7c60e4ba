import { z } from 'zod';
import { ADMIN_ERROR_STATUS, type AdminErrorCode } from '../server/admin-error';
import { ADMIN_API_OPERATIONS, type AdminApiOperation } from './admin-api-operations';

/** Where the admin API is mounted; operation paths are relative to it. */
export const ADMIN_API_BASE_PATH = '/api/admin/v1';

type JsonSchema = Record<string, unknown>;

/** The one error body of the admin API (see http/admin-route.ts). */
const adminErrorBody = z.object({
  error: z.object({
    code: z.enum(Object.keys(ADMIN_ERROR_STATUS) as [AdminErrorCode, ...AdminErrorCode[]]),
    message: z.string(),
    requestId: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

/**
 * What a client may send: `io: 'input'` describes a field with a default as optional and a transformed field by
 * what it accepts. Refinements (cross-field checks) have no JSON Schema form; the handler still applies them.
 */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

function operationId(operation: AdminApiOperation): string {
  const words = operation.path
    .split(/[/{}.-]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1));
  return operation.method.toLowerCase() + words.join('');
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
}

function queryParameters(query: z.ZodType | undefined): JsonSchema[] {
  if (!query) return [];
  const schema = jsonSchemaOf(query);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/AdminError' } } },
});

function responses(operation: AdminApiOperation): Record<string, unknown> {
  const { success } = operation;
  const out: Record<string, unknown> = {};
  if (success.kind === 'json') {
    out[success.status] = { description: success.description, content: { 'application/json': {} } };
  } else if (success.kind === 'file') {
    out[success.status] = {
      description: success.description,
      content: { [success.contentType]: { schema: { type: 'string' } } },
    };
  } else {
    out[success.status] = { description: success.description };
  }
  if (operation.body || operation.bodyDescription || operation.query) {
    out[400] = errorResponse('`invalid_request`: a field failed validation; `field` names it.');
  }
  if (operation.authenticated !== false) {
    out[401] = errorResponse('`unauthorized`: no credential, a wrong admin token, or an invalid session.');
  }
  if (operation.writes) out[403] = errorResponse('`forbidden`: the caller may not make this change.');
  if (operation.adminOnly) out[403] = errorResponse('`forbidden`: the caller may not read it.');
  if (operation.path.includes('{')) out[404] = errorResponse('`not_found`: no such resource.');
  if (operation.writes)
    out[409] = errorResponse('`conflict`: a unique name is taken or the change conflicts.');
  out.default = errorResponse('`internal` or another admin error.');
  return out;
}

function requestBody(operation: AdminApiOperation): JsonSchema | undefined {
  if (operation.body) {
    return { required: true, content: { 'application/json': { schema: jsonSchemaOf(operation.body) } } };
  }
  if (operation.bodyDescription) {
    return {
      required: true,
      description: operation.bodyDescription,
      content: { 'application/json': { schema: {} } },
    };
  }
  return undefined;
}

function describeOperation(operation: AdminApiOperation): JsonSchema {
  const parameters = [...pathParameters(operation.path), ...queryParameters(operation.query)];
  const body = requestBody(operation);
  return {
    operationId: operationId(operation),
    summary: operation.summary,
    tags: [operation.tag],
    ...(operation.access !== undefined
      ? { description: operation.access }
      : operation.writes || operation.adminOnly
        ? {
            description:
              'Only `owner` and `admin` (or a write token) may call it; `member` and `viewer` get 403.',
          }
        : {}),
    ...(operation.authenticated === false ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(operation),
  };
}

/**
 * The OpenAPI 3.1 document of the admin API, built from the zod schemas the handlers validate with. Pure and
 * deterministic: `npm run openapi` writes it to docs/openapi.json and a test holds the two equal.
 */
export function buildOpenApiDocument(
  operations: readonly AdminApiOperation[] = ADMIN_API_OPERATIONS,
): Record<string, unknown> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const operation of operations) {
    paths[operation.path] ??= {};
    const item = paths[operation.path] as Record<string, JsonSchema>;
    item[operation.method.toLowerCase()] = describeOperation(operation);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard admin API',
      version: '1',
      description:
        'The control plane of Switchyard, served by the dashboard. Every call needs an admin API token ' +
        '(`Authorization: Bearer sy-adm-…`, created under /tokens with a read or write scope and optionally a ' +
        'team), the bootstrap token (`Authorization: Bearer $SWITCHYARD_ADMIN_TOKEN`, acts as owner) or a ' +
        'console session cookie (the caller’s role), except this document. Money is integer micro-USD as decimal strings; times are ' +
        'ISO-8601 UTC. Errors answer `{ error: { code, message, requestId, field? } }`. See docs/admin-api.md.',
    },
    servers: [{ url: ADMIN_API_BASE_PATH }],
    security: [{ adminToken: [] }, { session: [] }],
    paths,
    components: {
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A scoped admin API token (`sy-adm-…`; read → viewer, write → admin, write with a team → member of ' +
            'that team), or the bootstrap SWITCHYARD_ADMIN_TOKEN, which acts as owner.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'next-auth.session-token',
          description:
            'The console session set by signing in at /login (`__Secure-next-auth.session-token` over https).',
        },
      },
      schemas: { AdminError: jsonSchemaOf(adminErrorBody) },
    },
  };
}
