import type { ContainerName, Doc, Stored } from '../../ports/store.js';
import { resourceId } from '../../core/schemas/resourceId.js';
import { ids } from '../../core/ids.js';
import type { SyncDeps } from '../syncDeps.js';
import { InvalidInputError } from '../invalidInputError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';

/**
 * The id a save request addresses: the path's (PUT), else the body's, else a new one (POST).
 * A body id that contradicts the path is refused rather than silently ignored.
 */
export function resolveResourceId(options: { pathId: string | undefined; bodyId: string | undefined; pathParam: string; prefix: string }): string {
  const { pathId, bodyId } = options;
  if (pathId === undefined) return bodyId ?? ids.newResource(options.prefix);
  parseInput(resourceId, pathId, `path.${options.pathParam}`);
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new InvalidInputError([{ path: 'id', message: `must equal the id in the path ("${pathId}") or be omitted` }]);
  }
  return pathId;
}

/** Point read of a tenant's document, or a 404 naming the resource. */
export async function requireDocument<T extends Doc>(
  deps: SyncDeps,
  container: ContainerName,
  resource: string,
  tenantId: string,
  id: string,
): Promise<Stored<T>> {
  const doc = await deps.store.read<T>(container, tenantId, id);
  if (!doc) throw new UnknownResourceError(resource, id);
  return doc;
}
