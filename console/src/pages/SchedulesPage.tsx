import { api, tenantPath, type Page } from '../api.js';
import { Notice } from '../components/Notice.js';
import type { ScheduleView } from '../types.js';
import { useAction, useApi } from '../useApi.js';

const when = (s: ScheduleView) => (s.cron ? `cron ${s.cron} (${s.timeZone})` : s.interval ? `every ${s.interval.every} ${s.interval.unit}` : '—');

/** Schedules with their next and last firing; enabling or disabling one saves it whole (PUT replaces). */
export function SchedulesPage() {
  const schedules = useApi(() => api<Page<ScheduleView>>('GET', tenantPath('schedules?limit=1000')), []);
  const action = useAction();
  const toggle = (s: ScheduleView) => {
    const { cron, interval, taskId, timeZone, mode, missedRunPolicy, maxCatchUp } = s;
    const body = { taskId, timeZone, mode, missedRunPolicy, maxCatchUp, enabled: !s.enabled, ...(cron ? { cron } : { interval }) };
    return action.run(`${s.enabled ? 'Disable' : 'Enable'} ${s.id}`, () => api('PUT', tenantPath(`schedules/${encodeURIComponent(s.id)}`), body), schedules.reload);
  };
  return (
    <section aria-labelledby="schedules-title">
      <h1 id="schedules-title">Schedules</h1>
      <Notice error={schedules.error} status={action.status} />
      {schedules.data && schedules.data.items.length === 0 ? <p>No schedules.</p> : null}
      <table>
        <thead><tr><th scope="col">Schedule</th><th scope="col">Task</th><th scope="col">When</th><th scope="col">Mode</th><th scope="col">Next run</th><th scope="col">Last fired</th><th scope="col">Enabled</th></tr></thead>
        <tbody>
          {(schedules.data?.items ?? []).map((s) => (
            <tr key={s.id}>
              <td>{s.id}</td>
              <td>{s.taskId}</td>
              <td>{when(s)}</td>
              <td>{s.mode}</td>
              <td>{s.enabled && s.nextFireAt ? new Date(s.nextFireAt).toLocaleString() : '—'}</td>
              <td>{s.lastFiredAt ? new Date(s.lastFiredAt).toLocaleString() : 'never'}</td>
              <td><button type="button" aria-pressed={s.enabled} disabled={action.busy} onClick={() => toggle(s)}>{s.enabled ? `Disable ${s.id}` : `Enable ${s.id}`}</button></td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
