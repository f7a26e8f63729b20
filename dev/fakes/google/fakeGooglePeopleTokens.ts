import { randomBytes } from 'node:crypto';
import { expiredSyncToken, invalidArgument } from './fakeGooglePeopleErrors.js';

/** People API sync tokens expire 7 days after they are issued (people.connections.list reference). */
export const syncTokenLifetimeMs = 7 * 24 * 60 * 60 * 1000;

export interface SyncTokenState {
  /** Changes with a later sequence are the ones a sync with this token returns. */
  sequence: number;
  issuedAtMs: number;
}

export interface PageTokenState {
  /** The request's other parameters: Google requires them unchanged while paging. */
  fingerprint: string;
  /** Resume after the contact with this change sequence (the listing is in change order). */
  afterVersion: number;
  /** The sequence the listing started at: the sync token its last page hands out. */
  snapshot: SyncTokenState;
  /** The incremental listing's starting point, or null for a full one. */
  sinceSequence: number | null;
  totalItems: number;
}

/**
 * Opaque page and sync tokens, kept server-side so the fake can expire them all at once. Google's
 * answers to unknown or mismatched tokens are not documented: 400 INVALID_ARGUMENT here.
 */
export class PeopleTokens {
  private readonly syncTokens = new Map<string, SyncTokenState>();
  private readonly pageTokens = new Map<string, PageTokenState>();
  private readonly expiredSyncTokens = new Set<string>();

  constructor(private readonly now: () => number) {}

  issueSyncToken(state: SyncTokenState): string {
    const token = `^${randomBytes(18).toString('base64url')}`;
    this.syncTokens.set(token, state);
    return token;
  }

  readSyncToken(token: string): SyncTokenState {
    const state = this.syncTokens.get(token);
    if (!state) throw invalidArgument('sync_token', 'Request contains an invalid argument: the sync token is not recognised.');
    if (this.expiredSyncTokens.has(token) || this.now() - state.issuedAtMs > syncTokenLifetimeMs) throw expiredSyncToken();
    return state;
  }

  /** Every sync token issued so far becomes expired, as if 7 days had passed. */
  expireAll(): void {
    for (const token of this.syncTokens.keys()) this.expiredSyncTokens.add(token);
  }

  issuePageToken(state: PageTokenState): string {
    const token = randomBytes(24).toString('base64url');
    this.pageTokens.set(token, state);
    return token;
  }

  readPageToken(token: string, fingerprint: string): PageTokenState {
    const state = this.pageTokens.get(token);
    if (!state) throw invalidArgument('page_token', 'Request contains an invalid argument: the page token is not recognised.');
    if (state.fingerprint !== fingerprint) {
      throw invalidArgument('page_token', 'Parameters provided with a page token must match the call that provided the page token.');
    }
    return state;
  }
}
