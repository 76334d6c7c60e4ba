import { writeFile } from 'node:fs/promises';
import { buildOpenApiDocument } from '../apps/dashboard/src/openapi/build-openapi-document';

/** Writes docs/openapi.json from the admin API's zod schemas (`npm run openapi`). */
const target = new URL('../docs/openapi.json', import.meta.url);
await writeFile(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
