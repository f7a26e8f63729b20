import * as crypto from 'node:crypto';

/**
 * Deterministic ids. Redelivered messages recompute the same ids, which is what makes creates
 * conflict (409) instead of duplicating, and markers guard counters.
 */
function digest(...parts: string[]): string {
  return sha256(parts.map(escapeSeparator).join('\u0000')).slice(0, 32);
}

/**
 * Makes the `\u0000` join injective: within a part, `\u0001` becomes `\u0001\u0001` and `\u0000`
 * becomes `\u0001\u0002`, so no part holds the separator. Parts without either (all ids ever stored)
 * are unchanged, and so are their digests.
 */
function escapeSeparator(part: string): string {
  return /[\u0000\u0001]/.test(part) ? part.replace(/[\u0000\u0001]/g, (c) => (c === '\u0001' ? '\u0001\u0001' : '\u0001\u0002')) : part;
}

/**
 * Secret names: the hex digest of the parts, each prefixed with its length, so no two parts
 * lists share a name whatever characters they hold (`rt` + `b-conn-b` and `rt-b` + `conn-b` once
 * did). 64 lower-case hex digits are a valid Key Vault name as they are.
 */
function secretDigest(kind: string, ...parts: string[]): string {
  return crypto.createHash('sha256').update([kind, ...parts].map((part) => `${part.length}:${part}`).join('')).digest('hex');
}

/** One-shot hashing (Node 20.12 on) skips a Hash object per id, which matters at a dozen ids per record. */
const sha256: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'base64url')
    : (text) => crypto.createHash('sha256').update(text).digest('base64url');

export const ids = {
  /** Same tenant + task + idempotency key ⇒ same execution. */
  executionFromIdempotencyKey: (tenantId: string, taskId: string, key: string) =>
    `exe_${digest(tenantId, taskId, key)}`,
  newExecution: () => `exe_${crypto.randomUUID().replaceAll('-', '')}`,
  newResource: (prefix: string) => `${prefix}_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`,
  /**
   * The shard of connection/stream/externalId, whoever writes first: exact de-duplication on the
   * external id is one point read. (Look-up documents come with merges across sources.)
   */
  shardFor: (connectionId: string, stream: string, externalId: string) =>
    `shd_${digest(connectionId, stream, externalId)}`,
  /** A primary shard's derived shard of one type: re-running its record updates the same one. */
  derivedShard: (primaryShardId: string, shardType: string) => `shd_${digest('derived', primaryShardId, shardType)}`,
  /** The shards waiting for a parent shard that does not exist yet. */
  pendingLinks: (parentShardId: string) => `pendinglinks:${parentShardId}`,
  /** How many parents of a connection's stream have children waiting: parents' batches look only when it is above 0. */
  pendingLinkCount: (connectionId: string, stream: string) => `pendinglinkcount:${connectionId}:${stream}`,
  /** Page payload stored between fetch and batch (claim check). */
  page: (executionId: string, stream: string, page: number) => `${executionId}:${stream}:${page}`,
  /** Written together with the counters of a processed batch; its existence means "already counted". */
  batchMarker: (executionId: string, stream: string, page: number) => `marker:batch:${executionId}:${stream}:${page}`,
  /** Written together with the page-fetched counters. */
  fetchMarker: (executionId: string, stream: string, page: number) => `marker:fetch:${executionId}:${stream}:${page}`,
  /** Written together with the counters of a dead-lettered message. */
  /** The incremental state a connector owns for a connection's stream. */
  connectorState: (connectionId: string, stream: string) => `state:${connectionId}:${stream}`,
  /** The incremental cursor of a connection's stream. */
  cursor: (connectionId: string, stream: string) => `cursor:${connectionId}:${stream}`,
  /** A message held while its execution is paused. */
  parked: (executionId: string, messageId: string) => `parked:${executionId}:${digest(messageId)}`,
  /** Guards "stream started" so its first page is requested once. */
  streamStartMarker: (executionId: string, stream: string) => `marker:start:${executionId}:${stream}`,
  /** Guards the counting of a stream's deletes by absence (a complete full read counts them once). */
  deletesMarker: (executionId: string, stream: string) => `marker:deletes:${executionId}:${stream}`,
  /** The ids a page's delete feed reported gone, and the count of a stream's reported deletes. */
  feedDeletes: (executionId: string, stream: string, page: number) => `marker:feeddel:${executionId}:${stream}:${page}`,
  feedDeletesMarker: (executionId: string, stream: string) => `marker:feeddeleted:${executionId}:${stream}`,
  /** Guards the counting of a page that was given up on. */
  pageFailureMarker: (executionId: string, stream: string, page: number) => `marker:pagefail:${executionId}:${stream}:${page}`,
  deadLetterMarker: (executionId: string, messageId: string) => `marker:dead:${executionId}:${digest(messageId)}`,
  failure: (executionId: string, ...parts: string[]) => `fail_${digest(executionId, ...parts)}`,
  /** The failures a record of a connection's stream has had that may still be open: a later sync of it closes them. */
  recordFailures: (connectionId: string, stream: string, externalId: string) => `recordfailures:${digest(connectionId, stream, externalId)}`,
  /** The credentials of a connection. */
  secretForConnection: (tenantId: string, connectionId: string) => `conn-${secretDigest('connection', tenantId, connectionId)}`,
  /** One part after a fixed prefix: injective as it is. */
  secretForAlerts: (tenantId: string) => `alerts-${tenantId}`,
  /** The HMAC key a provider signs this connection's webhooks with. */
  secretForWebhooks: (tenantId: string, connectionId: string) => `webhook-${secretDigest('webhook', tenantId, connectionId)}`,
  /**
   * The names connection secrets had before they were made injective (`rt` + `b-conn-b` and
   * `rt-b` + `conn-b` met): read only to migrate what is stored under them.
   */
  legacySecretForConnection: (tenantId: string, connectionId: string) => `conn-${tenantId}-${connectionId}`,
  legacySecretForWebhooks: (tenantId: string, connectionId: string) => `webhook-${tenantId}-${connectionId}`,
  /** One per provider delivery: its creation is the replay check (409 = seen before). */
  webhookDelivery: (connectionId: string, replayKey: string) => `webhook:delivery:${connectionId}:${digest(replayKey)}`,
  /** The connection's current coalescing window. */
  webhookWindow: (connectionId: string) => `webhook:window:${connectionId}`,
  /** Who may refresh the connection's OAuth tokens now (one writer, so a single-use refresh token is spent once). */
  oauthRefreshLease: (connectionId: string) => `lease:oauth-refresh:${connectionId}`,
  newWebhookWindow: () => `whw_${crypto.randomUUID().replaceAll('-', '')}`,
  /** Coalescing off: each delivery is its own window, derived from it so a retried request finds the same one. */
  immediateWebhookWindow: (tenantId: string, connectionId: string, replayKey: string) => `whi_${digest(tenantId, connectionId, replayKey)}`,
  /**
   * The look-up block of a shard type's blocking key; digested, as keys hold any text (e-mail
   * addresses, names). Short: millions of them make up most of the store's key index.
   */
  dedupeBlock: (shardType: string, key: string) => `b:${digest(shardType, key).slice(0, 16)}`,
  /** The block id of tenants whose blocks were written before ids were shortened. */
  legacyDedupeBlock: (shardType: string, key: string) => `block:${shardType}:${digest(key)}`,
  /** How the tenant's look-up index is laid out. */
  dedupeIndexSettings: () => 'dedupe-index',
  /** What look-up entries' values are, stored once per tenant: named by its content, so it never changes. */
  dedupeLayout: (slots: readonly string[]) => `layout:${digest(...slots)}`,
  /** Progress of resolving a shard type's stored shards under its current rule set. */
  dedupeRollout: (shardType: string) => `rollout:dedupe:${shardType}`,
  /** Written together with a rollout page's counts: its existence means "already counted". */
  dedupeRolloutMarker: (shardType: string, version: number, page: number) => `marker:rollout:${shardType}:${version}:${page}`,
  /** A tenant API key, in the tenant's partition of `tenants` (key ids hold no `:`). */
  apiKey: (keyId: string) => `apikey:${keyId}`,
  /** An Entra ID principal's membership of a tenant, in the tenant's partition of `tenants`. */
  membership: (principalId: string) => `member:${principalId}`,
  /** Where a merged record's own shard id points: the shard it was merged into. */
  shardAlias: (shardId: string) => `alias:${shardId}`,
};
