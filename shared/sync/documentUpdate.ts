import type { ContainerName, Doc, Stored } from '../ports/store.js';
import { isLostRace } from '../ports/lostRace.js';
import type { SyncDeps } from './syncDeps.js';

/** What to write (`next`; absent: nothing) and what to tell the caller. */
export type UpdateDecision<D extends Doc, R> = { result: R; next?: D };

/**
 * Read–decide–write on one document, safe among any number of workers: the write is conditional
 * on the ETag read (or a create when there was none), and a lost race decides again on fresh
 * state. `decide` may throw to refuse. Terminates: every lost race means another write succeeded.
 */
export async function updateDocument<D extends Doc, R>(
  deps: SyncDeps,
  container: ContainerName,
  tenantId: string,
  id: string,
  decide: (current: Stored<D> | undefined, nowMs: number) => UpdateDecision<D, R> | Promise<UpdateDecision<D, R>>,
): Promise<R> {
  for (;;) {
    const current = await deps.store.read<D>(container, tenantId, id);
    const { result, next } = await decide(current, deps.clock.now().getTime());
    if (!next) return result;
    try {
      if (current) await deps.store.replace(container, next, { ifMatch: current._etag });
      else await deps.store.create(container, next);
      return result;
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
}
