import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PartitionKeyKind, type CosmosClient, type IndexingPolicy } from '@azure/cosmos';
import { z } from 'zod';
import { CONTAINERS, type ContainerName } from '../../ports/store.js';

/** Container and index definitions live in one file, shared with the Bicep templates (loadJsonContent). */
const DEFINITIONS_FILE = join('infra', 'cosmos', 'containers.json');

const definitionSchema = z.object({
  id: z.enum(CONTAINERS),
  partitionKeyPaths: z.array(z.string().startsWith('/')).min(1).max(3),
  /** -1: TTL enabled, nothing expires unless the document sets `ttl`. */
  defaultTtl: z.number().int(),
  indexingPolicy: z.record(z.string(), z.unknown()),
});

export interface CosmosContainerDefinition {
  id: ContainerName;
  partitionKeyPaths: string[];
  defaultTtl: number;
  indexingPolicy: IndexingPolicy;
}

/** The definitions of every container in CONTAINERS; throws when the file lacks one or has an unknown one. */
export function loadContainerDefinitions(path = findDefinitionsFile()): ReadonlyMap<ContainerName, CosmosContainerDefinition> {
  const parsed = z.array(definitionSchema).parse(JSON.parse(readFileSync(path, 'utf8')));
  const byId = new Map(parsed.map((definition) => [definition.id, definition as CosmosContainerDefinition]));
  const missing = CONTAINERS.filter((name) => !byId.has(name));
  if (missing.length > 0 || byId.size !== parsed.length) {
    throw new Error(`${path}: needs each of ${CONTAINERS.join(', ')} exactly once (missing: ${missing.join(', ') || 'none'})`);
  }
  return byId;
}

/**
 * Creates the database and containers when absent; for local servers only (in Azure, infra creates
 * them). Idempotent: createIfNotExists leaves existing ones, including their indexing policy, as they are.
 */
export async function ensureCosmosResources(
  client: CosmosClient,
  databaseId: string,
  definitions: ReadonlyMap<ContainerName, CosmosContainerDefinition> = loadContainerDefinitions(),
): Promise<void> {
  const { database } = await client.databases.createIfNotExists({ id: databaseId });
  await Promise.all(
    [...definitions.values()].map((definition) =>
      database.containers.createIfNotExists({
        id: definition.id,
        partitionKey: {
          paths: definition.partitionKeyPaths,
          kind: definition.partitionKeyPaths.length > 1 ? PartitionKeyKind.MultiHash : PartitionKeyKind.Hash,
          version: 2,
        },
        defaultTtl: definition.defaultTtl,
        indexingPolicy: definition.indexingPolicy,
      }),
    ),
  );
}

/** The code runs from the sources (tests) or from dist/ (Functions); the file stays in the project root's infra/. */
function findDefinitionsFile(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, DEFINITIONS_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`${DEFINITIONS_FILE} not found above ${fileURLToPath(import.meta.url)}`);
    directory = parent;
  }
}
