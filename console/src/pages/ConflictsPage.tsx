import { api, query, tenantPath, type Page } from '../api.js';
import { ConflictDiff } from '../components/ConflictDiff.js';
import { Notice } from '../components/Notice.js';
import type { Conflict } from '../types.js';
import { useAction, useApi } from '../useApi.js';

/** Open conflicts, each as a base / ours / theirs diff with the ways to settle it. */
export function ConflictsPage() {
  const conflicts = useApi(() => api<Page<Conflict>>('GET', tenantPath(`conflicts${query({ status: 'open', limit: 100 })}`)), []);
  const action = useAction();
  const items = conflicts.data?.items ?? [];
  return (
    <section aria-labelledby="conflicts-title">
      <h1 id="conflicts-title">Conflicts</h1>
      <Notice error={conflicts.error} status={action.status} />
      {conflicts.data && items.length === 0 ? <p>No open conflicts.</p> : null}
      {items.map((c) => (
        <ConflictDiff key={c.id} conflict={c} action={action} onResolved={conflicts.reload} />
      ))}
    </section>
  );
}
