import { invalidArgument } from './fakeGooglePeopleErrors.js';
import { parsePersonFields, renderPerson } from './fakeGooglePeoplePerson.js';
import type { PeopleStore } from './fakeGooglePeopleStore.js';
import type { PageTokenState, PeopleTokens } from './fakeGooglePeopleTokens.js';

const defaultPageSize = 100;
const maxPageSize = 1000;

/**
 * `GET /v1/people/me/connections`. Contacts come in change order (Google's default sort,
 * LAST_MODIFIED_ASCENDING, the only one this fake serves) and pages resume after the last change
 * served, so a contact edited mid-listing is seen again later rather than another one skipped.
 * With `syncToken`, only the contacts changed since, deleted ones as tombstones. `nextSyncToken`
 * (when requested) is on the last page and covers the changes up to the first page's request,
 * so whatever changed while paging comes back in the next sync.
 */
export function listConnections(store: PeopleStore, tokens: PeopleTokens, params: URLSearchParams, now: number): Record<string, unknown> {
  const paths = parsePersonFields(params.get('personFields'), true);
  const pageSize = readPageSize(params.get('pageSize'));
  const sortOrder = params.get('sortOrder');
  if (sortOrder !== null && sortOrder !== 'LAST_MODIFIED_ASCENDING') {
    throw invalidArgument('sort_order', `This fake serves only sortOrder LAST_MODIFIED_ASCENDING; got ${sortOrder}.`);
  }
  const pageToken = params.get('pageToken');
  const syncToken = params.get('syncToken');
  const requestSyncToken = params.get('requestSyncToken') === 'true';
  const fingerprint = JSON.stringify(['personFields', 'pageSize', 'sortOrder', 'syncToken', 'requestSyncToken', 'sources'].map((name) => params.getAll(name)));

  let state: PageTokenState;
  if (pageToken !== null && pageToken !== '') {
    state = tokens.readPageToken(pageToken, fingerprint);
  } else {
    const sinceSequence = syncToken !== null && syncToken !== '' ? tokens.readSyncToken(syncToken).sequence : null;
    state = {
      fingerprint,
      afterVersion: sinceSequence ?? 0,
      snapshot: { sequence: store.currentSequence, issuedAtMs: now },
      sinceSequence,
      totalItems: 0,
    };
    state.totalItems = candidates(store, state).length;
  }

  const remaining = candidates(store, state).filter((contact) => contact.version > state.afterVersion);
  const page = remaining.slice(0, pageSize);
  const body: Record<string, unknown> = {};
  // proto3 JSON leaves out empty lists and zero counts, so an empty listing has neither.
  if (page.length > 0) body.connections = page.map((contact) => renderPerson(contact, paths));
  const last = page.at(-1);
  if (remaining.length > pageSize && last) {
    body.nextPageToken = tokens.issuePageToken({ ...state, afterVersion: last.version });
  } else if (requestSyncToken) {
    body.nextSyncToken = tokens.issueSyncToken(state.snapshot);
  }
  if (state.totalItems > 0) body.totalItems = state.totalItems;
  return body;
}

/** A full listing's live contacts, or an incremental one's changes (tombstones included), in change order. */
function candidates(store: PeopleStore, state: PageTokenState) {
  const since = state.sinceSequence;
  return store
    .all()
    .filter((contact) => (since === null ? !contact.deleted : contact.version > since))
    .sort((a, b) => a.version - b.version);
}

/** 1..1000; unset or 0 means 100 (documented). Google's refusal of other values is unverified. */
function readPageSize(param: string | null): number {
  if (param === null || param === '') return defaultPageSize;
  const size = Number(param);
  if (!Number.isInteger(size) || size < 0 || size > maxPageSize) {
    throw invalidArgument('page_size', `pageSize must be between 1 and ${maxPageSize}; got ${param}.`);
  }
  return size === 0 ? defaultPageSize : size;
}
