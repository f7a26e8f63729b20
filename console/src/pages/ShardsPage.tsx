import { useState } from 'preact/hooks';
import { api, query, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import type { Shard } from '../types.js';
import { useApi } from '../useApi.js';

/** Shards by type and connection, paged by the server, with the count of all that match. */
export function ShardsPage() {
  const [filters, setFilters] = useState({ type: '', connectionId: '' });
  const [applied, setApplied] = useState(filters);
  // The tokens of the pages before this one, so "Previous" can go back.
  const [tokens, setTokens] = useState<Array<string | undefined>>([undefined]);
  const token = tokens.at(-1);
  const page = useApi(() => api<Page<Shard>>('GET', tenantPath(`shards${query({ ...applied, limit: 25, continuationToken: token })}`)), [JSON.stringify(applied), token]);
  const count = useApi(() => api<{ count: number }>('GET', tenantPath(`shards${query({ ...applied, count: true })}`)), [JSON.stringify(applied)]);
  const next = page.data?.continuationToken ?? undefined;
  return (
    <section aria-labelledby="shards-title">
      <h1 id="shards-title">Shards</h1>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), setApplied(filters), setTokens([undefined]))}>
        <label>Type<input value={filters.type} onInput={(e) => setFilters({ ...filters, type: e.currentTarget.value })} /></label>
        <label>Connection<input value={filters.connectionId} onInput={(e) => setFilters({ ...filters, connectionId: e.currentTarget.value })} /></label>
        <button type="submit">Filter</button>
      </form>
      <Notice error={page.error ?? count.error} />
      <p role="status">{count.data ? `${count.data.count} shards` : ''}</p>
      <table>
        <thead><tr><th scope="col">Shard</th><th scope="col">Type</th><th scope="col">Records</th><th scope="col">Merged</th><th scope="col">Updated</th></tr></thead>
        <tbody>
          {(page.data?.items ?? []).map((s) => (
            <tr key={s.id}>
              <td><a href={`#/shards/${encodeURIComponent(s.id)}`}>{s.id}</a></td>
              <td>{s.shardType}</td>
              <td>{s.externalRelationships.map((r) => `${r.connectionId}/${r.stream}/${r.externalId}`).join(', ')}</td>
              <td>{s.merges?.length ? `${s.merges.length} joined` : ''}</td>
              <td>{new Date(s.updatedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" disabled={tokens.length < 2} onClick={() => setTokens(tokens.slice(0, -1))}>Previous page</button>
        <button type="button" disabled={!next} onClick={() => setTokens([...tokens, next])}>Next page</button>
      </div>
    </section>
  );
}
