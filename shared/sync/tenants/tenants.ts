import type { Stored } from '../../ports/store.js';
import { tenantInput, type Tenant } from '../../core/schemas/tenant.js';
import { resourceId } from '../../core/schemas/resourceId.js';
import { ids } from '../../core/ids.js';
import { registerTenant } from './registeredTenants.js';
import type { SyncDeps } from '../syncDeps.js';
import { InvalidInputError } from '../invalidInputError.js';
import { UnknownResourceError } from '../unknownResourceError.js';
import { parseInput } from '../parseInput.js';

/** Tenants live in their own partition: `tenantId` = `id`. */
export async function putTenant(deps: SyncDeps, tenantId: string, body: unknown): Promise<{ tenant: Stored<Tenant>; created: boolean }> {
  parseInput(resourceId, tenantId, 'path.tenantId');
  const input = parseInput(tenantInput, body);
  // Before anything is stored: an alert URL pointing at an internal destination is refused (SSRF).
  const alertUrl = input.settings.alerts?.url;
  const urlProblems = await deps.outbound.checkUrls(alertUrl === undefined ? [] : [{ path: 'settings.alerts.url', url: alertUrl }]);
  if (urlProblems.length > 0) throw new InvalidInputError(urlProblems);
  const now = deps.clock.now().toISOString();
  const existing = await deps.store.read<Tenant>('tenants', tenantId, tenantId);
  const { alertSigningSecret, ...settings } = input.settings;
  if (alertSigningSecret !== undefined) await deps.secrets.set(ids.secretForAlerts(tenantId), alertSigningSecret);
  const tenant: Tenant = {
    id: tenantId,
    tenantId,
    name: input.name ?? existing?.name ?? tenantId,
    settings: { ...settings, hasAlertSigningSecret: alertSigningSecret !== undefined || existing?.settings.hasAlertSigningSecret === true },
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  // Idempotent: the same PUT twice leaves one tenant with the same content.
  const stored = await deps.store.upsert('tenants', tenant);
  // So that tenant-wide housekeeping (retention) can find it: the store lists one tenant at a time.
  await registerTenant(deps, tenantId);
  return { tenant: stored, created: !existing };
}

export async function getTenant(deps: SyncDeps, tenantId: string): Promise<Stored<Tenant>> {
  const tenant = await deps.store.read<Tenant>('tenants', tenantId, tenantId);
  if (!tenant) throw new UnknownResourceError('tenant', tenantId);
  return tenant;
}

/** Every tenant-scoped route starts here: an unknown tenant is a 404 whatever the rest of the path. */
export const requireTenant = getTenant;
