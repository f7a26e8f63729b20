import type { JSONObject } from '@azure/cosmos';
import type { Doc, Stored } from '../../ports/store.js';

/** A document as Cosmos returns it: our fields plus system properties. */
export type CosmosResource = JSONObject & { id: string; _etag: string; _ts: number };

/** System properties Cosmos adds; callers see only `_etag` and `_ts`, as with every Store. */
const HIDDEN = ['_rid', '_self', '_attachments', '_lsn'] as const;
const SYSTEM = new Set<string>([...HIDDEN, '_etag', '_ts']);

export function toStored<T extends Doc>(resource: CosmosResource): Stored<T> {
  const stored: JSONObject = { ...resource };
  for (const key of HIDDEN) delete stored[key];
  return stored as unknown as Stored<T>;
}

/** The body to send: a document read earlier and written back must not carry its old system properties. */
export function writable(doc: Doc | JSONObject): JSONObject {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !SYSTEM.has(key))) as JSONObject;
}
