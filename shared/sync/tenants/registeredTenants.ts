import type { Query } from '../../ports/store.js';
import { tenantRegistrationKind, tenantRegistrationKinds, type TenantRegistration } from '../../core/schemas/tenantRegistration.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * The tenant registry: the Store lists one tenant at a time, so tenant-wide housekeeping
 * (retention, schedules) finds tenants through one registration document per tenant, kept in a
 * partition of its own. `__system__` cannot clash with a tenant id (those start with a letter or
 * digit). One document per tenant: registrations never compete for one document.
 */
const REGISTRY_PARTITION = '__system__';
const REGISTRATIONS: Query = { filters: [{ path: 'kind', op: 'in', values: tenantRegistrationKinds }] };

/** Idempotent: registering twice leaves one registration. */
export async function registerTenant(deps: SyncDeps, tenantId: string): Promise<void> {
  await deps.store.upsert<TenantRegistration>('tenants', { id: tenantId, tenantId: REGISTRY_PARTITION, kind: tenantRegistrationKind });
}

/** Every registered tenant's id, page by page. */
export async function* registeredTenantIds(deps: SyncDeps): AsyncGenerator<string> {
  let continuationToken: string | undefined;
  do {
    const page = await deps.store.query('tenants', REGISTRY_PARTITION, REGISTRATIONS, { maxItems: 100, ...(continuationToken ? { continuationToken } : {}) });
    yield* page.items.map((registration) => registration.id);
    continuationToken = page.continuationToken;
  } while (continuationToken);
}
