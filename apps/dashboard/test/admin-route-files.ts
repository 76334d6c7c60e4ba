import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The folder Next serves /api/admin/v1 from. */
export const ADMIN_ROUTES_DIR = fileURLToPath(new URL('../src/app/api/admin/v1/', import.meta.url));

const HTTP_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** One `route.ts` under app/api/admin/v1, as Next serves it. */
export interface AdminRouteFile {
  file: string;
  /** The path under /api/admin/v1 in OpenAPI form: `[id]` folders become `{id}`. */
  path: string;
  /** The `[...path]` fallback that answers unknown paths; not an endpoint. */
  catchAll: boolean;
  /** The HTTP methods the module exports, read from its source. */
  methods: string[];
}

function routeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === 'route.ts' ? [full] : [];
  });
}

/** Exported names of a module, from `export const GET`, `export function GET` and `export { x as GET }`. */
function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const names: string[] = [];
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement) && exported(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      }
    } else if (ts.isFunctionDeclaration(statement) && exported(statement) && statement.name) {
      names.push(statement.name.text);
    } else if (
      ts.isExportDeclaration(statement) &&
      statement.exportClause &&
      ts.isNamedExports(statement.exportClause)
    ) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    }
  }
  return names;
}

/** Every admin route file with its path and exported methods, sorted by path. */
export function listAdminRouteFiles(): AdminRouteFile[] {
  return routeFiles(ADMIN_ROUTES_DIR)
    .map((file) => {
      const segments = path.relative(ADMIN_ROUTES_DIR, path.dirname(file)).split(path.sep).filter(Boolean);
      return {
        file,
        path: `/${segments.map((segment) => segment.replace(/^\[(\w+)\]$/, '{$1}')).join('/')}`,
        catchAll: segments.some((segment) => segment.startsWith('[...')),
        methods: exportedNames(file)
          .filter((name) => HTTP_METHODS.has(name))
          .sort(),
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}
