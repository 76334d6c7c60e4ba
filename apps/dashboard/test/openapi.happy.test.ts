import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ADMIN_API_OPERATIONS } from '../src/openapi/admin-api-operations';
import { buildOpenApiDocument } from '../src/openapi/build-openapi-document';
import { createRouteInput } from '../src/server/routes';
import { listAdminRouteFiles } from './admin-route-files';

const CHECKED_IN = new URL('../../../docs/openapi.json', import.meta.url);

type Paths = Record<string, Record<string, Record<string, unknown>>>;

describe('the admin API OpenAPI document', () => {
  const document = buildOpenApiDocument();

  it('is checked in as docs/openapi.json exactly as the generator writes it (run `npm run openapi`)', () => {
    expect(readFileSync(CHECKED_IN, 'utf8')).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });

  it('lists every method of every route file under app/api/admin/v1, and nothing else', () => {
    const fromFiles = listAdminRouteFiles()
      .filter((route) => !route.catchAll)
      .flatMap((route) => route.methods.map((method) => `${method} ${route.path}`))
      .sort();
    const fromDocument = Object.entries(document.paths as Paths)
      .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(fromFiles.length).toBeGreaterThan(40);
    expect(fromDocument).toEqual(fromFiles);
  });

  it('describes request bodies with the same zod schema the handler parses with', () => {
    const createRoute = (document.paths as Paths)['/routes']?.post as {
      requestBody: {
        content: { 'application/json': { schema: { required: string[]; properties: object } } };
      };
    };
    const schema = createRoute.requestBody.content['application/json'].schema;
    // Fields with a default are optional to a client; the two without are required.
    expect([...schema.required].sort()).toEqual(['publicModel', 'targets']);
    expect(Object.keys(schema.properties).sort()).toEqual(Object.keys(createRouteInput.shape).sort());
  });

  it('asks for the admin token or a session everywhere but on the document itself', () => {
    expect(document.security).toEqual([{ adminToken: [] }, { session: [] }]);
    const open = ADMIN_API_OPERATIONS.filter((operation) => operation.authenticated === false);
    expect(open.map((operation) => `${operation.method} ${operation.path}`)).toEqual(['GET /openapi.json']);
    expect((document.paths as Paths)['/openapi.json']?.get?.security).toEqual([]);
  });
});
