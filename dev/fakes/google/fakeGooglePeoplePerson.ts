import { invalidArgument } from './fakeGooglePeopleErrors.js';
import { contactKey, storedFields, type ContactFields, type StoredContact, type StoredField } from './fakeGooglePeopleStore.js';

/** Every path Google accepts in `personFields` (people.connections.list reference); the fake fills only the stored ones and metadata. */
const readablePaths = new Set([
  'addresses', 'ageRanges', 'biographies', 'birthdays', 'calendarUrls', 'clientData', 'coverPhotos', 'emailAddresses', 'events',
  'externalIds', 'genders', 'imClients', 'interests', 'locales', 'locations', 'memberships', 'metadata', 'miscKeywords', 'names',
  'nicknames', 'occupations', 'organizations', 'phoneNumbers', 'photos', 'relations', 'sipAddresses', 'skills', 'urls', 'userDefined',
]);

/**
 * `personFields` as a set. Required on list and get; optional on writes, where its absence means
 * every field. Google's exact refusal texts are unverified.
 */
export function parsePersonFields(param: string | null, required: boolean, name = 'personFields'): Set<string> {
  if (param === null || param.trim() === '') {
    if (required) throw invalidArgument(name, `${name} mask is required. Please specify one or more valid paths. Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get.`);
    return new Set(readablePaths);
  }
  const paths = param.split(',').map((path) => path.trim()).filter(Boolean);
  for (const path of paths) {
    if (!readablePaths.has(path)) throw invalidArgument(name, `Invalid ${name} mask path: "${path}". Valid paths are documented at https://developers.google.com/people/api/rest/v1/people/get.`);
  }
  return new Set(paths);
}

/** `updatePersonFields`: required, and limited to what this fake stores (Google accepts more). */
export function parseUpdateFields(param: string | null): StoredField[] {
  if (param === null || param.trim() === '') throw invalidArgument('update_person_fields', 'updatePersonFields mask is required. Please specify one or more valid paths.');
  return param.split(',').map((path) => {
    const field = storedFields.find((candidate) => candidate === path.trim());
    if (field === undefined) throw invalidArgument('update_person_fields', `Invalid updatePersonFields mask path: "${path.trim()}". This fake updates only ${storedFields.join(', ')}.`);
    return field;
  });
}

/** The stored fields of a Person body; the server-set `metadata` of each item is dropped. */
export function readPersonFields(body: unknown, only?: readonly StoredField[]): ContactFields {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidArgument('person', 'Invalid JSON payload received. Expected a Person object.');
  const person = body as Record<string, unknown>;
  const fields: ContactFields = {};
  for (const field of only ?? storedFields) {
    const value = person[field];
    if (value === undefined || value === null) {
      if (only) fields[field] = [];
      continue;
    }
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item))) {
      throw invalidArgument(`person.${field}`, `Invalid value at 'person.${field}': expected a list of objects.`);
    }
    fields[field] = value.map((item) => {
      const copy: Record<string, unknown> = { ...(item as Record<string, unknown>) };
      delete copy.metadata;
      return copy;
    });
  }
  return fields;
}

/** The etags a client may send back: the person's, or its CONTACT source's. */
export function personEtag(contact: StoredContact): string {
  return `%${Buffer.from(`person:${contact.id}:${contact.version}`).toString('base64url')}`;
}

export function sourceEtag(contact: StoredContact): string {
  return `#${Buffer.from(`source:${contact.id}:${contact.version}`).toString('base64url')}`;
}

/**
 * The Person as Google serves it: field items carry their metadata, names their derived display
 * forms, empty lists are left out (proto3 JSON). A deleted contact is a tombstone whose metadata
 * says `deleted: true`; it is sent whether or not `metadata` was asked for, or it could not be told
 * apart (unverified).
 */
export function renderPerson(contact: StoredContact, paths: Set<string>): Record<string, unknown> {
  const sourceId = contact.id.toString(16);
  const person: Record<string, unknown> = { resourceName: `people/${contactKey(contact.id)}`, etag: personEtag(contact) };
  for (const field of storedFields) {
    const items = contact.fields[field];
    if (!paths.has(field) || !items || items.length === 0) continue;
    person[field] = items.map((item, index) => ({
      metadata: { ...(index === 0 ? { primary: true, sourcePrimary: true } : {}), source: { type: 'CONTACT', id: sourceId } },
      ...(field === 'names' ? nameForms(item) : {}),
      ...item,
    }));
  }
  if (paths.has('metadata') || contact.deleted) {
    const source = { type: 'CONTACT', id: sourceId, etag: sourceEtag(contact), updateTime: new Date(contact.updateTimeMs).toISOString() };
    person.metadata = { sources: [source], objectType: 'PERSON', ...(contact.deleted ? { deleted: true } : {}) };
  }
  return person;
}

function nameForms(name: Record<string, unknown>): Record<string, string> {
  const given = typeof name.givenName === 'string' ? name.givenName : '';
  const family = typeof name.familyName === 'string' ? name.familyName : '';
  const displayName = [given, family].filter(Boolean).join(' ');
  return { displayName, displayNameLastFirst: [family, given].filter(Boolean).join(', '), unstructuredName: displayName };
}
