import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FeedItem {
  id: string;
  name: string;
  updated_at: string;
}

export interface FakeChangeFeed {
  url: string;
  readonly token: string;
  /** Every request for items, in arrival order: the cursor and sync token it carried. */
  readonly requests: Array<{ cursor: string | null; syncToken: string | null }>;
  /** Creates or changes an item (a change the next incremental read returns). */
  put(id: string, name: string): void;
  /** Deletes an item: gone from full reads, and named in `deleted` by incremental reads from before it. */
  remove(id: string): void;
  /** Sync tokens older than the current change are refused from now on (410 `sync_token_expired`). */
  expireTokens(): void;
  close(): Promise<void>;
}

/**
 * A provider that pages by cursor and reads increments with a sync token, as change-feed APIs do:
 * `GET /items?limit=N[&cursor=C][&sync_token=T]` with a bearer token answers
 * `{items, deleted, next_cursor, sync_token}`, items in id order, `deleted` the ids removed since the sync token. The cursor is opaque (the offset and the
 * sync token of the read it continues), the sync token the feed's change sequence; a token older
 * than the feed keeps is refused with 410. Listens on 127.0.0.1 only.
 */
export async function startFakeChangeFeed(count: number, token = 'feed-token'): Promise<FakeChangeFeed> {
  const items = new Map<string, FeedItem & { seq: number }>();
  /** Deleted items' ids and the change that deleted them. */
  const removed = new Map<string, number>();
  let seq = 0;
  let oldestToken = 0;
  const requests: FakeChangeFeed['requests'] = [];
  const put = (id: string, name: string) => {
    seq += 1;
    items.set(id, { id, name, updated_at: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(), seq });
    removed.delete(id);
  };
  for (let i = 1; i <= count; i++) put(String(i).padStart(5, '0'), `item ${i}`);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${token}`) return send(401, { error: { code: 'unauthorized', message: 'bad token' } });
    if (url.pathname !== '/items') return send(404, { error: { code: 'not_found', message: url.pathname } });
    const cursor = url.searchParams.get('cursor');
    const syncToken = url.searchParams.get('sync_token');
    requests.push({ cursor, syncToken });
    const limit = Math.min(100, Number(url.searchParams.get('limit') ?? 10));
    // A cursor continues a read: its offset, and the sync token that read started from ('' for a full read).
    const [offsetText, sinceText] = cursor ? Buffer.from(cursor, 'base64url').toString().split(':') : ['0', syncToken ?? ''];
    const offset = Number(offsetText);
    const since = sinceText ? Number(sinceText) : undefined;
    if (since !== undefined && since < oldestToken) return send(410, { error: { code: 'sync_token_expired', message: `sync token ${since} is older than ${oldestToken}` } });
    const changed = [...items.values()].filter((item) => since === undefined || item.seq > since).sort((a, b) => a.id.localeCompare(b.id));
    const slice = changed.slice(offset, offset + limit);
    const more = offset + limit < changed.length;
    // An incremental read names what was deleted since its token, on its first page.
    const deleted = since === undefined || offset > 0 ? [] : [...removed].filter(([, at]) => at > since).map(([id]) => id);
    send(200, {
      items: slice.map(({ seq: _seq, ...item }) => item),
      deleted,
      next_cursor: more ? Buffer.from(`${offset + limit}:${sinceText}`).toString('base64url') : null,
      sync_token: String(seq),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    token,
    requests,
    put,
    remove: (id) => {
      seq += 1;
      items.delete(id);
      removed.set(id, seq);
    },
    expireTokens: () => {
      oldestToken = seq;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
