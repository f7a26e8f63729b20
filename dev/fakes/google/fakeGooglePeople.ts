import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listConnections } from './fakeGooglePeopleConnections.js';
import { concurrentMutation, GoogleApiError, invalidArgument, notFound, readBody, sendError, sendJson, staleEtag, unauthenticated } from './fakeGooglePeopleErrors.js';
import { parsePersonFields, parseUpdateFields, personEtag, readPersonFields, renderPerson, sourceEtag } from './fakeGooglePeoplePerson.js';
import { PeopleStore, type ContactFields, type StoredContact } from './fakeGooglePeopleStore.js';
import { PeopleTokens } from './fakeGooglePeopleTokens.js';

export type { ContactFields } from './fakeGooglePeopleStore.js';

export interface FakeGooglePeopleOptions {
  /** A static access token accepted as `Authorization: Bearer …`. */
  accessToken?: string;
  /** Accepts other bearer tokens, e.g. the fake OAuth server's `isLiveAccessToken`. */
  verifyBearer?: (token: string) => boolean;
  /** The clock for update times and sync-token expiry (default Date.now). */
  now?: () => number;
  /**
   * How long each mutation holds the user's write lock; a mutation arriving meanwhile is refused
   * (Google asks for sequential mutations per user). 0, the default, never overlaps.
   */
  mutationDelayMs?: number;
}

export interface FakeGooglePeopleRequest {
  method: string;
  /** The path as sent, e.g. `/v1/people/c123:updateContact`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

export interface FakeGooglePeople {
  /** http://127.0.0.1:<port>/, the client's `rootUrl`. */
  url: string;
  /** n contacts with deterministic names, emails, phones and organizations, as served (every field). */
  seed(n: number): Record<string, unknown>[];
  /** Replaces the given fields of `c…` or `people/c…`, as another device editing it would. */
  update(id: string, fields: ContactFields): Record<string, unknown>;
  remove(id: string): void;
  /** A live contact as served (every field), or undefined. */
  get(id: string): Record<string, unknown> | undefined;
  /** Every sync token issued so far answers EXPIRED_SYNC_TOKEN from now on. */
  expireSyncTokens(): void;
  /** Every request answered, in answer order. */
  readonly requests: FakeGooglePeopleRequest[];
  close(): Promise<void>;
}

const allPaths = parsePersonFields(null, false);

/**
 * The Google People API's contact endpoints on 127.0.0.1, faithful enough for @googleapis/people 8:
 * connections.list with paging and sync tokens (tombstones, 7-day expiry), people.get,
 * createContact, updateContact with etag checks, deleteContact, and Google's JSON error bodies.
 */
export async function startFakeGooglePeople(options: FakeGooglePeopleOptions): Promise<FakeGooglePeople> {
  if (options.accessToken === undefined && options.verifyBearer === undefined) throw new Error('fake Google People: give accessToken and/or verifyBearer');
  const now = options.now ?? Date.now;
  const store = new PeopleStore(now);
  const tokens = new PeopleTokens(now);
  const requests: FakeGooglePeopleRequest[] = [];
  let mutating = false;

  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://fake');
    const logged: FakeGooglePeopleRequest = { method: req.method ?? 'GET', path: target.pathname, query: Object.fromEntries(target.searchParams), body: undefined, status: 0 };
    handle(req, res, target, logged)
      .catch((error: unknown) => {
        const refusal = error instanceof GoogleApiError ? error : new GoogleApiError(500, 'INTERNAL', 'Internal error encountered.', 'backendError');
        if (!res.headersSent) sendError(res, refusal);
      })
      .finally(() => {
        logged.status = res.statusCode;
        requests.push(logged);
      });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, target: URL, logged: FakeGooglePeopleRequest): Promise<void> {
    const method = logged.method;
    if (method === 'POST' || method === 'PATCH') logged.body = await readBody(req);
    authenticate(req);
    const params = target.searchParams;
    // The client expands `{+resourceName}`, so the slash of `people/c…` arrives unescaped.
    const path = decodePath(target.pathname);
    if (path === '/v1/people/me/connections' && method === 'GET') return sendJson(res, 200, listConnections(store, tokens, params, now()));
    if (path === '/v1/people:createContact' && method === 'POST') {
      return mutate(res, () => renderPerson(store.create(readPersonFields(logged.body)), parsePersonFields(params.get('personFields'), false)));
    }
    const match = /^\/v1\/people\/(c\d+)(?::(updateContact|deleteContact))?$/.exec(path);
    if (!match) throw new GoogleApiError(404, 'NOT_FOUND', `The requested URL ${target.pathname} was not found on this server.`, 'notFound');
    const key = match[1] as string;
    const action = match[2];
    if (action === undefined && method === 'GET') return sendJson(res, 200, renderPerson(existing(key), parsePersonFields(params.get('personFields'), true)));
    if (action === 'updateContact' && method === 'PATCH') {
      const fields = parseUpdateFields(params.get('updatePersonFields'));
      const paths = parsePersonFields(params.get('personFields'), false);
      return mutate(res, () => {
        const contact = existing(key);
        checkEtag(contact, logged.body);
        return renderPerson(store.update(key, readPersonFields(logged.body, fields)) as StoredContact, paths);
      });
    }
    if (action === 'deleteContact' && method === 'DELETE') {
      return mutate(res, () => {
        existing(key);
        store.remove(key);
        return {};
      });
    }
    throw new GoogleApiError(405, 'INVALID_ARGUMENT', `Method ${method} is not allowed here.`, 'badRequest');
  }

  /** One mutation at a time per user, each holding the lock for `mutationDelayMs`. */
  async function mutate(res: ServerResponse, write: () => unknown): Promise<void> {
    if (mutating) throw concurrentMutation();
    mutating = true;
    try {
      if ((options.mutationDelayMs ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, options.mutationDelayMs));
      sendJson(res, 200, write());
    } finally {
      mutating = false;
    }
  }

  function existing(key: string): StoredContact {
    const contact = store.get(key);
    if (!contact) throw notFound();
    return contact;
  }

  /** The person's etag, or failing that its CONTACT source's, must be current. */
  function checkEtag(contact: StoredContact, body: unknown): void {
    const person = (typeof body === 'object' && body !== null ? body : {}) as { etag?: unknown; metadata?: { sources?: { type?: unknown; etag?: unknown }[] } };
    if (typeof person.etag === 'string' && person.etag !== '') {
      if (person.etag !== personEtag(contact)) throw staleEtag('person.etag');
      return;
    }
    const source = person.metadata?.sources?.find((candidate) => candidate.type === 'CONTACT' && typeof candidate.etag === 'string');
    if (source === undefined) throw invalidArgument('person.etag', 'Request must set person.etag or person.metadata.sources.etag for the source that is being updated.');
    if (source.etag !== sourceEtag(contact)) throw staleEtag('person.metadata.sources.etag');
  }

  /** The constant-time comparison covers the static token; the callback is the OAuth server's own check. */
  function authenticate(req: IncomingMessage): void {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token !== undefined) {
      if (options.accessToken !== undefined && sameSecret(token, options.accessToken)) return;
      if (options.verifyBearer?.(token) === true) return;
    }
    throw unauthenticated(token !== undefined);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake Google People: no TCP address');
  const live = (id: string): StoredContact => {
    const contact = store.get(id);
    if (!contact) throw new Error(`fake Google People has no contact ${id}`);
    return contact;
  };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    seed: (n) => store.seed(n).map((contact) => renderPerson(contact, allPaths)),
    update: (id, fields) => {
      live(id);
      return renderPerson(store.update(id, fields) as StoredContact, allPaths);
    },
    remove: (id) => {
      live(id);
      store.remove(id);
    },
    get: (id) => {
      const contact = store.get(id);
      return contact && renderPerson(contact, allPaths);
    },
    expireSyncTokens: () => tokens.expireAll(),
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A malformed escape matches no route: Google's 404 rather than the fake's 500. */
function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
