import { entityNamed, type QuickBooksEntity } from './fakeQuickBooksEntities.js';
import { cdcTooOld, queryParserError, requiredParameter } from './fakeQuickBooksFaults.js';
import type { QuickBooksStore } from './fakeQuickBooksStore.js';
import { parseQuickBooksTime } from './fakeQuickBooksTime.js';

/** CDC looks back at most 30 days and answers at most 1,000 objects (developer.intuit.com, "Change data capture"). */
export const cdcLookBackMs = 30 * 24 * 3600 * 1000;
export const cdcMaxObjects = 1000;

interface Change {
  entity: QuickBooksEntity;
  atMs: number;
  object: Record<string, unknown>;
}

/**
 * `GET /cdc?entities=Customer,Invoice&changedSince=<ISO>`: every object of those entities changed
 * after the instant, deleted ones as `{Id, status: "Deleted", domain, MetaData}`. Which objects
 * QuickBooks keeps past 1,000 is undocumented: the fake keeps the oldest changes, so a client can
 * re-ask from the last one it saw.
 */
export function changeDataCapture(store: QuickBooksStore, params: URLSearchParams, nowMs: number, utcOffsetMinutes: number): Record<string, unknown>[] {
  const names = (params.get('entities') ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw requiredParameter('entities');
  const entities = names.map((name) => {
    const entity = entityNamed(name);
    if (entity === undefined) throw queryParserError(`Entity ${name} is not supported by change data capture`);
    return entity;
  });
  const sinceText = params.get('changedSince');
  if (sinceText === null) throw requiredParameter('changedSince');
  const since = parseQuickBooksTime(sinceText, utcOffsetMinutes);
  if (since === undefined) throw queryParserError(`Invalid date format for changedSince: ${sinceText}`);
  if (since < nowMs - cdcLookBackMs) throw cdcTooOld(sinceText);

  const changes: Change[] = [];
  for (const entity of new Set(entities)) {
    for (const stored of store.all(entity)) if (stored.updatedMs > since) changes.push({ entity, atMs: stored.updatedMs, object: stored.record });
    for (const tombstone of store.deleted(entity)) {
      if (tombstone.deletedMs <= since) continue;
      const object = { Id: tombstone.id, status: 'Deleted', domain: 'QBO', MetaData: { LastUpdatedTime: store.format(tombstone.deletedMs) } };
      changes.push({ entity, atMs: tombstone.deletedMs, object });
    }
  }
  const kept = changes.sort((a, b) => a.atMs - b.atMs).slice(0, cdcMaxObjects);
  const queryResponses = [...new Set(entities)].map((entity) => {
    const objects = kept.filter((change) => change.entity === entity).map((change) => change.object);
    return objects.length === 0 ? {} : { [entity]: objects, startPosition: 1, maxResults: objects.length };
  });
  return [{ QueryResponse: queryResponses }];
}
