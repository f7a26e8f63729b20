import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadFunctionFiles } from './host/loadFunctions.js';
import type * as Catalog from '../functions/http/apiCatalog.js';
import type * as OpenApiDocument from '../functions/http/openApi/openApiDocument.js';

/** Where the committed copy of the API description lives (`npm run openapi` writes it). */
export const openApiPath = (projectDir: string): string => path.join(projectDir, 'docs', 'openapi.json');

/**
 * The document of the compiled app in `projectDir`, as `GET /api/openapi.json` serves it, in the
 * file's formatting. The catalog is read from the same compiled modules the function files
 * registered into (a test running from source has its own copy of the module).
 */
export async function renderOpenApi(projectDir: string): Promise<string> {
  await loadFunctionFiles(projectDir, { ...process.env });
  const compiled = (file: string) => pathToFileURL(path.join(projectDir, 'dist', 'functions', 'http', file)).href;
  const { describedOperations } = (await import(compiled('apiCatalog.js'))) as typeof Catalog;
  const { buildOpenApiDocument } = (await import(compiled('openApi/openApiDocument.js'))) as typeof OpenApiDocument;
  return `${JSON.stringify(buildOpenApiDocument(describedOperations()), null, 2)}\n`;
}
