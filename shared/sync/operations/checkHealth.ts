import type { SyncDeps } from '../syncDeps.js';
import type { Health } from '../../core/schemas/answers/health.js';

/** Liveness plus a real store round trip, so a broken database shows up as 503. */
export async function checkHealth(deps: SyncDeps): Promise<Health> {
  let store: Health['checks']['store'] = 'ok';
  try {
    await deps.store.read('tenants', '__health__', '__health__');
  } catch {
    store = 'failing';
  }
  return { status: store === 'ok' ? 'ok' : 'unavailable', checks: { store }, time: deps.clock.now().toISOString() };
}
