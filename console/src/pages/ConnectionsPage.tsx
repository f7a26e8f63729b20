import { api, ApiError, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import { TaskRow } from '../components/TaskRow.js';
import type { Connection, Schedule, Task } from '../types.js';
import { useAction, useApi } from '../useApi.js';

/** Connections with a connection test, and every task with its last and next run and its run controls. */
export function ConnectionsPage() {
  const connections = useApi(() => api<Page<Connection>>('GET', tenantPath('connections?limit=1000')), []);
  const tasks = useApi(() => api<Page<Task>>('GET', tenantPath('tasks?limit=1000')), []);
  const schedules = useApi(() => api<Page<Schedule>>('GET', tenantPath('schedules?limit=1000')), []);
  const action = useAction();
  const nextRun = (taskId: string) =>
    (schedules.data?.items ?? [])
      .filter((s) => s.taskId === taskId && s.enabled && s.nextFireAt)
      .map((s) => s.nextFireAt!)
      .sort()[0];
  return (
    <section aria-labelledby="connections-title">
      <h1 id="connections-title">Connections and tasks</h1>
      <Notice error={connections.error ?? tasks.error} status={action.status} />
      <h2>Connections</h2>
      <table>
        <thead>
          <tr><th scope="col">Connection</th><th scope="col">Provider</th><th scope="col">Circuit</th><th scope="col">Actions</th></tr>
        </thead>
        <tbody>
          {(connections.data?.items ?? []).map((c) => (
            <tr key={c.id}>
              <td>{c.id}</td>
              <td>{c.provider}</td>
              <td>{c.providerState?.circuit?.state ?? 'closed'}</td>
              <td>
                <button
                  type="button"
                  disabled={action.busy}
                  onClick={() =>
                    action.run(`Test ${c.id}`, async () => {
                      const result = await api<{ ok: boolean; outcome: string; durationMs: number; message?: string }>('POST', tenantPath(`connections/${encodeURIComponent(c.id)}/test`), {});
                      // A refused test is an answer, not an API error: its outcome and the provider's message (credentials redacted).
                      if (!result.ok) throw new ApiError(200, `${result.outcome}${result.message ? `: ${result.message}` : ''}`);
                      return `${result.outcome} in ${result.durationMs} ms.`;
                    })
                  }
                >
                  Test connection {c.id}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Tasks</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Task</th><th scope="col">Connection</th><th scope="col">Last run</th><th scope="col">Next run</th>
            <th scope="col">Last counts</th><th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {(tasks.data?.items ?? []).map((t) => (
            <TaskRow key={t.id} task={t} nextRun={nextRun(t.id)} action={action} onChange={tasks.reload} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
