import { api, tenantPath } from '../api.js';
import type { Task } from '../types.js';
import { TERMINAL } from '../types.js';
import type { useAction } from '../useApi.js';

const start = (task: Task, body: Record<string, unknown>) =>
  api<{ executionId: string }>('POST', tenantPath(`tasks/${encodeURIComponent(task.id)}/executions`), body);

const control = (executionId: string, verb: string) => api('POST', tenantPath(`executions/${encodeURIComponent(executionId)}/${verb}`), {});

/** One task: its last run, the next scheduled one, and the controls an operator needs. */
export function TaskRow({ task, nextRun, action, onChange }: { task: Task; nextRun: string | undefined; action: ReturnType<typeof useAction>; onChange: () => void }) {
  const last = task.lastExecution;
  const live = last && !TERMINAL.has(last.status) ? last : undefined;
  const open = (id: string) => (location.hash = `#/executions/${encodeURIComponent(id)}`);
  const startAndOpen = (label: string, body: Record<string, unknown>) =>
    action.run(label, async () => open((await start(task, body)).executionId));
  return (
    <tr>
      <td>{task.id}<br /><small>{task.direction}; {task.streams.map((s) => s.stream).join(', ')}</small></td>
      <td>{task.connectionId}</td>
      <td>
        {last ? <a href={`#/executions/${encodeURIComponent(last.id)}`}>{last.status}</a> : 'never'}
        {last ? <><br /><small>{new Date(last.createdAt).toLocaleString()}</small></> : null}
      </td>
      <td>{nextRun ? new Date(nextRun).toLocaleString() : 'not scheduled'}</td>
      <td>
        {last ? (
          <small>
            {Object.entries(last.counts).filter(([, n]) => n > 0).map(([name, n]) => `${name} ${n}`).join(', ') || 'nothing yet'}
          </small>
        ) : null}
      </td>
      <td class="actions">
        <button type="button" disabled={action.busy} onClick={() => startAndOpen(`Start ${task.id}`, { mode: 'incremental' })}>Start {task.id}</button>
        <button type="button" disabled={action.busy} onClick={() => startAndOpen(`Full re-sync ${task.id}`, { mode: 'full' })}>Full re-sync {task.id}</button>
        <button type="button" disabled={action.busy} onClick={() => startAndOpen(`Dry run ${task.id}`, { mode: 'full', dryRun: true })}>Dry run {task.id}</button>
        {live && live.status !== 'paused' ? (
          <button type="button" disabled={action.busy} onClick={() => action.run(`Pause ${live.id}`, () => control(live.id, 'pause'), onChange)}>Pause {task.id}</button>
        ) : null}
        {live && live.status === 'paused' ? (
          <button type="button" disabled={action.busy} onClick={() => action.run(`Resume ${live.id}`, () => control(live.id, 'resume'), onChange)}>Resume {task.id}</button>
        ) : null}
        {live ? (
          <button type="button" disabled={action.busy} onClick={() => action.run(`Cancel ${live.id}`, () => control(live.id, 'cancel'), onChange)}>Cancel {task.id}</button>
        ) : null}
      </td>
    </tr>
  );
}
