import { NextResponse } from 'next/server';
import { buildOpenApiDocument } from '@/openapi/build-openapi-document';

let document: Record<string, unknown> | undefined;

/**
 * The admin API's OpenAPI document, served without authentication: it describes request shapes that are public in
 * the repository anyway and holds no configuration, data or secret.
 */
export async function GET(): Promise<Response> {
  document ??= buildOpenApiDocument();
  return NextResponse.json(document, { headers: { 'cache-control': 'public, max-age=300' } });
}
