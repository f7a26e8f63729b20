import { api, tenantPath } from '../api.js';
import { MergeTable } from '../components/MergeTable.js';
import { Notice } from '../components/Notice.js';
import type { Shard } from '../types.js';
import { useAction, useApi } from '../useApi.js';

/** One shard: its data, its records, and — merged — which records joined it and why. */
export function ShardPage({ id }: { id: string }) {
  const shard = useApi(() => api<Shard>('GET', tenantPath(`shards/${encodeURIComponent(id)}`)), [id]);
  const action = useAction();
  const s = shard.data;
  return (
    <section aria-labelledby="shard-title">
      <h1 id="shard-title">Shard {id}</h1>
      <p><a href="#/shards">All shards</a></p>
      <Notice error={shard.error} status={action.status} />
      {s ? (
        <>
          <h2>Records</h2>
          <ul>
            {s.externalRelationships.map((r) => (
              <li key={`${r.connectionId}/${r.stream}/${r.externalId}`}>{r.connectionId}/{r.stream}/{r.externalId} (synced {new Date(r.lastSyncedAt).toLocaleString()})</li>
            ))}
          </ul>
          <MergeTable
            shard={s}
            busy={action.busy}
            onUnmerge={(source) => action.run(`Unmerge ${source}`, () => api('POST', tenantPath(`shards/${encodeURIComponent(s.id)}/unmerge`), { source }), shard.reload)}
          />
          {s.separatedFrom?.length ? <p>Kept apart from: {s.separatedFrom.join(', ')}</p> : null}
          <h2>Data</h2>
          <pre>{JSON.stringify(s.data, null, 2)}</pre>
        </>
      ) : null}
    </section>
  );
}
