import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteDatabase } from '../../../../shared/adapters/embedded/sqliteDatabase.js';
import { wooCommerceProvider } from '../../../../shared/connectors/woocommerce/wooCommerceProvider.js';
import type { Connection } from '../../../../shared/core/schemas/connection.js';
import type { ActivityEntry } from '../../../../shared/core/schemas/activity.js';
import { ids } from '../../../../shared/core/ids.js';
import { signWebhook } from '../../../../shared/core/triggers/webhookSignature.js';
import { WOOCOMMERCE_VERIFIER } from '../../../../shared/connectors/woocommerce/wooCommerceWebhooks.js';
import { putTenant } from '../../../../shared/sync/tenants/tenants.js';
import { requireConnection, saveConnection } from '../../../../shared/sync/resources/connections.js';
import { connectorFor } from '../../../../shared/sync/connectorAccess.js';
import { receiveWebhook } from '../../../../shared/sync/triggers/receiveWebhook.js';
import { CredentialsMissingError } from '../../../../shared/sync/credentialsMissingError.js';
import type { SyncDeps } from '../../../../shared/sync/syncDeps.js';
import { embeddedDeps } from '../embeddedDeps.js';

const VICTIM = { tenantId: 'rt-b', connectionId: 'conn-b' };
const ATTACKER = { tenantId: 'rt', connectionId: 'b-conn-b' };
const VICTIM_CREDENTIALS = { consumerKey: 'ck_victim_0000000000000000', consumerSecret: 'cs_victim_0000000000000000' };
const ATTACKER_CREDENTIALS = { consumerKey: 'ck_attacker_00000000000000', consumerSecret: 'cs_attacker_00000000000000' };
const BASE_URL = 'http://127.0.0.1:9';

let db: SqliteDatabase | undefined;
afterEach(() => db?.close());

function fixture(): SyncDeps {
  db = openDatabase(':memory:');
  return embeddedDeps(db, { providers: [wooCommerceProvider] });
}

async function save(deps: SyncDeps, who: { tenantId: string; connectionId: string }, credentials: object, webhookSecret: string) {
  await putTenant(deps, who.tenantId, {});
  await saveConnection(deps, who.tenantId, { provider: 'woocommerce', settings: { baseUrl: BASE_URL }, credentials, webhookSecret }, who.connectionId);
}

/** The credentials a connector of this connection is built with. */
async function credentialsOf(deps: SyncDeps, who: { tenantId: string; connectionId: string }): Promise<unknown> {
  const connection = await requireConnection(deps, who.tenantId, who.connectionId);
  return JSON.parse((await deps.secrets.get(connection.secretRef))!);
}

function delivery(deps: SyncDeps, who: { tenantId: string; connectionId: string }, secret: string) {
  const body = JSON.stringify({ id: 1, date_modified_gmt: '2026-01-01T00:00:00' });
  const headers = new Headers({
    'content-type': 'application/json',
    'X-WC-Webhook-Topic': 'customer.updated',
    'X-WC-Webhook-Delivery-ID': `d-${secret}`,
    'X-WC-Webhook-Signature': signWebhook(WOOCOMMERCE_VERIFIER, secret, body),
  });
  return receiveWebhook(deps, { ...who, headers, rawBody: Buffer.from(body) });
}

/** Writes a connection as it was stored before secret names were injective. */
async function saveLegacy(deps: SyncDeps, who: { tenantId: string; connectionId: string }, credentials: object, webhookSecret: string) {
  await putTenant(deps, who.tenantId, {});
  const secretRef = ids.legacySecretForConnection(who.tenantId, who.connectionId);
  const webhookSecretRef = ids.legacySecretForWebhooks(who.tenantId, who.connectionId);
  await deps.secrets.set(secretRef, JSON.stringify(credentials));
  await deps.secrets.set(webhookSecretRef, webhookSecret);
  const now = new Date().toISOString();
  const connection: Connection = {
    id: who.connectionId,
    tenantId: who.tenantId,
    provider: 'woocommerce',
    name: who.connectionId,
    settings: { baseUrl: BASE_URL },
    secretRef,
    webhookSecretRef,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.upsert('connections', connection);
}

describe('one tenant cannot reach another tenant\'s credentials through look-alike ids', () => {
  it.each([
    ['the victim saved first', [VICTIM, ATTACKER]],
    ['the attacker saved first', [ATTACKER, VICTIM]],
  ] as const)('tenant rt with connection b-conn-b leaves tenant rt-b\'s conn-b alone (%s)', async (_order, order) => {
    const deps = fixture();
    for (const who of order) {
      await save(deps, who, who === VICTIM ? VICTIM_CREDENTIALS : ATTACKER_CREDENTIALS, who === VICTIM ? 'whsec_victim_secret' : 'whsec_attacker_secret');
    }
    expect(await credentialsOf(deps, VICTIM)).toEqual(VICTIM_CREDENTIALS);
    expect(await credentialsOf(deps, ATTACKER)).toEqual(ATTACKER_CREDENTIALS);
    // The attacker's signing key does not sign the victim's webhooks; the victim's own does.
    expect(await delivery(deps, VICTIM, 'whsec_attacker_secret')).toEqual({ outcome: 'invalid_signature' });
    expect(await delivery(deps, VICTIM, 'whsec_victim_secret')).toMatchObject({ outcome: 'accepted' });
  });
});

describe('secrets stored under the legacy names', () => {
  it('are moved to the current names on first use, and the connection keeps working', async () => {
    const deps = fixture();
    await saveLegacy(deps, VICTIM, VICTIM_CREDENTIALS, 'whsec_victim_secret');

    expect(await delivery(deps, VICTIM, 'whsec_victim_secret')).toMatchObject({ outcome: 'accepted' });
    const connection = await requireConnection(deps, VICTIM.tenantId, VICTIM.connectionId);
    expect(connection.secretRef).toBe(ids.secretForConnection(VICTIM.tenantId, VICTIM.connectionId));
    expect(connection.webhookSecretRef).toBe(ids.secretForWebhooks(VICTIM.tenantId, VICTIM.connectionId));
    expect(await credentialsOf(deps, VICTIM)).toEqual(VICTIM_CREDENTIALS);
    await expect(connectorFor(deps, connection)).resolves.toBeDefined();
    // The legacy copies are gone: nothing could read them through a look-alike name later.
    expect(await deps.secrets.get(ids.legacySecretForConnection(VICTIM.tenantId, VICTIM.connectionId))).toBeUndefined();
    expect(await deps.secrets.get(ids.legacySecretForWebhooks(VICTIM.tenantId, VICTIM.connectionId))).toBeUndefined();
  });

  it('a legacy name two tenants\' connections shared is not trusted for either: both wait for new credentials', async () => {
    const deps = fixture();
    // Before the fix, both saves wrote the one secret `conn-rt-b-conn-b`: whoever saved last owns it.
    await saveLegacy(deps, VICTIM, VICTIM_CREDENTIALS, 'whsec_victim_secret');
    await saveLegacy(deps, ATTACKER, ATTACKER_CREDENTIALS, 'whsec_attacker_secret');

    for (const who of [VICTIM, ATTACKER]) {
      // A webhook may be the first to touch the connection after the upgrade.
      expect(await delivery(deps, who, 'whsec_attacker_secret')).toEqual({ outcome: 'invalid_signature' });
      const connection = await requireConnection(deps, who.tenantId, who.connectionId);
      expect(await deps.secrets.get(connection.secretRef)).toBeUndefined();
      await expect(connectorFor(deps, connection)).rejects.toBeInstanceOf(CredentialsMissingError);
      const activity = await deps.store.query<ActivityEntry>('activity', who.tenantId, { filters: [{ path: 'action', op: '=', value: 'connection.secrets_quarantined' }] });
      expect(activity.items).toHaveLength(1);
    }

    expect(await deps.secrets.get(ids.legacySecretForConnection(VICTIM.tenantId, VICTIM.connectionId))).toBeUndefined();
    // Saving real credentials again brings the victim back, under a name only it can write.
    await save(deps, VICTIM, VICTIM_CREDENTIALS, 'whsec_victim_secret');
    expect(await credentialsOf(deps, VICTIM)).toEqual(VICTIM_CREDENTIALS);
  });

  it('a look-alike connection created after the upgrade does not block the victim\'s migration', async () => {
    const deps = fixture();
    await saveLegacy(deps, VICTIM, VICTIM_CREDENTIALS, 'whsec_victim_secret');
    await save(deps, ATTACKER, ATTACKER_CREDENTIALS, 'whsec_attacker_secret');

    expect(await credentialsOf(deps, VICTIM)).toEqual(VICTIM_CREDENTIALS);
    expect(await credentialsOf(deps, ATTACKER)).toEqual(ATTACKER_CREDENTIALS);
  });
});
