import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openApiPath, renderOpenApi } from './openApiFile.js';

/** `npm run openapi`: writes docs/openapi.json from the compiled function files. */
const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const target = openApiPath(projectDir);
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, await renderOpenApi(projectDir));
console.log(`wrote ${path.relative(projectDir, target)}`);
