import { useState } from 'preact/hooks';
import { api, query, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import type { Failure } from '../types.js';
import { useAction, useApi } from '../useApi.js';

const FILTERS = ['executionId', 'taskId', 'stream', 'stage', 'errorClass'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number] | 'status', string>>;

/** Failures by filter, with retry of one, of the selected ones, or of all that match. */
export function FailuresPage() {
  const [filters, setFilters] = useState<Filters>({ status: 'open' });
  const [applied, setApplied] = useState<Filters>({ status: 'open' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const failures = useApi(() => api<Page<Failure>>('GET', tenantPath(`failures${query({ ...applied, limit: 100 })}`)), [JSON.stringify(applied)]);
  const count = useApi(() => api<{ count: number }>('GET', tenantPath(`failures${query({ ...applied, count: true })}`)), [JSON.stringify(applied)]);
  const action = useAction();
  const after = () => (setSelected(new Set()), failures.reload(), count.reload());
  const retry = (label: string, body: Record<string, unknown>) => action.run(label, () => api('POST', tenantPath('failures/retry'), body), after);
  const matching = () => Object.fromEntries(FILTERS.filter((f) => applied[f]).map((f) => [f, applied[f]]));
  const items = failures.data?.items ?? [];
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <section aria-labelledby="failures-title">
      <h1 id="failures-title">Failures</h1>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), setApplied(filters))}>
        {FILTERS.map((f) => (
          <label key={f}>
            {f}
            <input value={filters[f] ?? ''} onInput={(e) => setFilters({ ...filters, [f]: e.currentTarget.value })} />
          </label>
        ))}
        <label>
          status
          <select value={filters.status ?? ''} onChange={(e) => setFilters({ ...filters, status: e.currentTarget.value })}>
            <option value="">any</option><option value="open">open</option><option value="retried">retried</option><option value="resolved">resolved</option>
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <Notice error={failures.error ?? count.error} status={action.status} />
      <p role="status">{count.data ? `${count.data.count} matching` : ''}</p>
      <div class="actions">
        <button type="button" disabled={action.busy || selected.size === 0} onClick={() => retry(`Retry ${selected.size} selected`, { ids: [...selected] })}>Retry selected ({selected.size})</button>
        <button type="button" disabled={action.busy || !count.data?.count} onClick={() => retry('Retry all matching', matching())}>Retry all matching</button>
      </div>
      <table>
        <thead>
          <tr><th scope="col">Select</th><th scope="col">Stream / record</th><th scope="col">Stage</th><th scope="col">Error</th><th scope="col">Status</th><th scope="col">Execution</th><th scope="col">Retry</th></tr>
        </thead>
        <tbody>
          {items.map((f) => (
            <tr key={f.id} data-failure={f.id}>
              <td><input type="checkbox" aria-label={`Select failure ${f.id}`} checked={selected.has(f.id)} onChange={() => toggle(f.id)} /></td>
              <td>{f.stream ?? '—'} {f.payloadRef?.externalId ?? ''}</td>
              <td>{f.stage}</td>
              <td><strong>{f.errorClass}</strong>: {f.message}</td>
              <td>{f.status}</td>
              <td><a href={`#/executions/${encodeURIComponent(f.executionId)}`}>{f.executionId}</a></td>
              <td>
                <button type="button" disabled={action.busy || f.status !== 'open'} onClick={() => action.run(`Retry ${f.id}`, () => api('POST', tenantPath(`failures/${encodeURIComponent(f.id)}/retry`), {}), after)}>
                  Retry failure {f.id}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
