import type { Stored } from '../../ports/store.js';
import type { Connection } from '../../core/schemas/connection.js';
import { ids } from '../../core/ids.js';
import { resourceId } from '../../core/schemas/resourceId.js';
import type { SyncDeps } from '../syncDeps.js';
import { recordActivity } from '../operations/activityLog.js';

type SecretKind = 'credentials' | 'webhookSecret';

const LEGACY_PREFIX: Record<SecretKind, string> = { credentials: 'conn-', webhookSecret: 'webhook-' };
const legacyName = (kind: SecretKind, tenantId: string, connectionId: string): string =>
  kind === 'credentials' ? ids.legacySecretForConnection(tenantId, connectionId) : ids.legacySecretForWebhooks(tenantId, connectionId);
const currentName = (kind: SecretKind, tenantId: string, connectionId: string): string =>
  kind === 'credentials' ? ids.secretForConnection(tenantId, connectionId) : ids.secretForWebhooks(tenantId, connectionId);

/**
 * Pure: every other (tenant, connection) pair whose legacy secret name is `name`. The legacy
 * names joined both ids with `-`, which ids may contain, so each `-` is a possible split.
 */
export function legacyNameOwners(kind: SecretKind, name: string): Array<{ tenantId: string; connectionId: string }> {
  const prefix = LEGACY_PREFIX[kind];
  if (!name.startsWith(prefix)) return [];
  const joined = name.slice(prefix.length);
  const owners: Array<{ tenantId: string; connectionId: string }> = [];
  for (let at = joined.indexOf('-'); at !== -1; at = joined.indexOf('-', at + 1)) {
    const tenantId = joined.slice(0, at);
    const connectionId = joined.slice(at + 1);
    if (resourceId.safeParse(tenantId).success && resourceId.safeParse(connectionId).success) owners.push({ tenantId, connectionId });
  }
  return owners;
}

/**
 * The connection with its secrets under their current, injective names. A connection saved before
 * names were injective still points at a legacy name; its secret is copied to the current name,
 * unless another tenant's connection points at the same legacy name: then nobody can tell whose
 * value is stored there (that was the takeover), so nothing is copied and the connection waits for
 * its credentials to be saved again (runs pause for `auth`). Either way the connection document
 * is re-pointed once and the legacy secrets are deleted (a crash just before leaves them unread).
 *
 * Idempotent: a redelivered or concurrent call copies the same value to the same name, and the
 * document update is conditional on the version read (a lost race re-reads and finds it done).
 */
export async function withCurrentSecretNames(deps: SyncDeps, connection: Stored<Connection>): Promise<Stored<Connection>> {
  const { tenantId, id } = connection;
  const pending: SecretKind[] = [];
  if (connection.secretRef !== currentName('credentials', tenantId, id)) pending.push('credentials');
  if (connection.webhookSecretRef !== undefined && connection.webhookSecretRef !== currentName('webhookSecret', tenantId, id)) pending.push('webhookSecret');
  if (pending.length === 0) return connection;

  const quarantined: SecretKind[] = [];
  for (const kind of pending) {
    const oldName = kind === 'credentials' ? connection.secretRef : connection.webhookSecretRef!;
    if (oldName !== legacyName(kind, tenantId, id) || (await isShared(deps, kind, oldName, tenantId, id))) {
      quarantined.push(kind);
      continue;
    }
    const value = await deps.secrets.get(oldName);
    if (value !== undefined) await deps.secrets.set(currentName(kind, tenantId, id), value);
  }

  const migrated: Connection = {
    ...connection,
    secretRef: currentName('credentials', tenantId, id),
    ...(connection.webhookSecretRef !== undefined ? { webhookSecretRef: currentName('webhookSecret', tenantId, id) } : {}),
    // Kept so that a connection migrated later can still tell its legacy name was shared.
    legacySecretRefs: {
      ...connection.legacySecretRefs,
      ...Object.fromEntries(pending.map((kind) => [kind, kind === 'credentials' ? connection.secretRef : connection.webhookSecretRef!])),
    },
  };
  try {
    const stored = await deps.store.replace<Connection>('connections', migrated, { ifMatch: connection._etag });
    // Nothing reads them any more; a shared one holds a value nobody can vouch for.
    for (const kind of pending) {
      const oldName = kind === 'credentials' ? connection.secretRef : connection.webhookSecretRef!;
      if (oldName === legacyName(kind, tenantId, id)) await deps.secrets.delete(oldName);
    }
    if (quarantined.length > 0) {
      deps.log.warn('legacy secret name shared with another tenant\'s connection: not migrated; save the connection\'s secrets again', { tenantId, connectionId: id, secrets: quarantined });
      await recordActivity(deps, {
        tenantId,
        actor: { type: 'system', id: 'secret-name migration' },
        action: 'connection.secrets_quarantined',
        subject: { kind: 'connection', id },
        details: { secrets: quarantined },
      });
    }
    return stored;
  } catch {
    // Someone else updated the connection (a save, or this same migration): use what is stored now.
    const current = await deps.store.read<Connection>('connections', tenantId, id);
    return current ? withCurrentSecretNames(deps, current) : connection;
  }
}

/** Whether a connection of another tenant (or another connection) was saved under the same legacy name. */
async function isShared(deps: SyncDeps, kind: SecretKind, name: string, tenantId: string, connectionId: string): Promise<boolean> {
  for (const owner of legacyNameOwners(kind, name)) {
    if (owner.tenantId === tenantId && owner.connectionId === connectionId) continue;
    const other = await deps.store.read<Connection>('connections', owner.tenantId, owner.connectionId);
    if (!other) continue;
    const otherRef = kind === 'credentials' ? other.secretRef : other.webhookSecretRef;
    // One migrated before this one shared the name all the same; one created since never wrote it.
    if (otherRef === name || other.legacySecretRefs?.[kind] === name) return true;
  }
  return false;
}
