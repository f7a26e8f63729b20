import { api, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import type { Execution } from '../types.js';
import { useApi } from '../useApi.js';

/** The newest runs, each linking to its live view. */
export function ExecutionsPage() {
  const runs = useApi(() => api<Page<Execution>>('GET', tenantPath('executions?limit=50')), []);
  return (
    <section aria-labelledby="executions-title">
      <h1 id="executions-title">Executions</h1>
      <Notice error={runs.error} />
      <button type="button" onClick={runs.reload}>Refresh</button>
      <table>
        <thead>
          <tr><th scope="col">Execution</th><th scope="col">Task</th><th scope="col">Status</th><th scope="col">Mode</th><th scope="col">Progress</th><th scope="col">Fetched</th><th scope="col">Failed</th></tr>
        </thead>
        <tbody>
          {(runs.data?.items ?? []).map((e) => (
            <tr key={e.id}>
              <td><a href={`#/executions/${encodeURIComponent(e.id)}`}>{e.id}</a></td>
              <td>{e.taskId}</td>
              <td>{e.status}{e.pauseReason ? ` (${e.pauseReason})` : ''}</td>
              <td>{e.mode}{e.dryRun ? ', dry run' : ''}</td>
              <td>{e.percent.toFixed(0)} %</td>
              <td>{e.counts.fetched}</td>
              <td>{e.counts.failed}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
