import { useState } from 'preact/hooks';
import { api, query, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import type { ActivityEntry } from '../types.js';
import { useApi } from '../useApi.js';

const FILTERS = ['action', 'executionId', 'taskId'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

/** The audit log, newest first, filtered by action, execution or task, paged by the server. */
export function ActivityPage() {
  const [filters, setFilters] = useState<Filters>({});
  const [applied, setApplied] = useState<Filters>({});
  const [tokens, setTokens] = useState<Array<string | undefined>>([undefined]);
  const token = tokens.at(-1);
  const page = useApi(() => api<Page<ActivityEntry>>('GET', tenantPath(`activity${query({ ...applied, limit: 50, continuationToken: token })}`)), [JSON.stringify(applied), token]);
  const next = page.data?.continuationToken ?? undefined;
  return (
    <section aria-labelledby="activity-title">
      <h1 id="activity-title">Activity</h1>
      <form class="filters" onSubmit={(e) => (e.preventDefault(), setApplied(filters), setTokens([undefined]))}>
        {FILTERS.map((f) => (
          <label key={f}>{f}<input value={filters[f] ?? ''} onInput={(e) => setFilters({ ...filters, [f]: e.currentTarget.value })} /></label>
        ))}
        <button type="submit">Filter</button>
      </form>
      <Notice error={page.error} />
      <table>
        <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Details</th></tr></thead>
        <tbody>
          {(page.data?.items ?? []).map((a) => (
            <tr key={a.id}>
              <td>{new Date(a.at).toLocaleString()}</td>
              <td>{a.actor.type}{a.actor.id ? ` ${a.actor.id}` : ''}</td>
              <td>{a.action}</td>
              <td>{a.subject.kind} {a.subject.kind === 'execution' ? <a href={`#/executions/${encodeURIComponent(a.subject.id)}`}>{a.subject.id}</a> : a.subject.id}</td>
              <td><small>{a.details ? JSON.stringify(a.details) : ''}</small></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" disabled={tokens.length < 2} onClick={() => setTokens(tokens.slice(0, -1))}>Newer</button>
        <button type="button" disabled={!next} onClick={() => setTokens([...tokens, next])}>Older</button>
      </div>
    </section>
  );
}
