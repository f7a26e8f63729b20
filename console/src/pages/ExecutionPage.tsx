import { useEffect, useRef, useState } from 'preact/hooks';
import { api, streamText, tenantPath } from '../api.js';
import { EventStreamParser } from '../../../cli/eventStreamParser.js';
import { Notice } from '../components/Notice.js';
import { ProgressBar } from '../components/ProgressBar.js';
import { StreamTable } from '../components/StreamTable.js';
import { ThroughputChart, type Sample } from '../components/ThroughputChart.js';
import { TERMINAL, type Execution } from '../types.js';
import { messageOf, useAction } from '../useApi.js';

/**
 * One run, live: followed through its server-sent events (`…/events`), or polled every second
 * when the stream cannot be had or ends early. Throughput comes from the differences between the
 * views this page received (the API keeps no history of rates).
 */
export function ExecutionPage({ id }: { id: string }) {
  const [run, setRun] = useState<Execution | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [samples, setSamples] = useState<Sample[]>([]);
  const [poll, setPoll] = useState(0);
  // The chart's time axis: seconds since the page opened, across restarts of the following.
  const openedAt = useRef(Date.now());
  const action = useAction();
  const path = tenantPath(`executions/${encodeURIComponent(id)}`);
  useEffect(() => {
    let live = true;
    const stop = new AbortController();
    let previous: { at: number; done: number } | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (next: Execution) => {
      setRun(next);
      setError(undefined);
      const now = (Date.now() - openedAt.current) / 1000;
      const done = next.counts.fetched;
      if (!previous) setSamples((s) => (s.length > 0 ? s : [{ at: now, rate: 0 }]));
      else if (now > previous.at) {
        const rate = Math.max(0, (done - previous.done) / (now - previous.at));
        setSamples((s) => [...s.slice(-299), { at: now, rate }]);
      }
      previous = { at: now, done };
    };
    const tick = async () => {
      try {
        const next = await api<Execution>('GET', path);
        if (!live) return;
        show(next);
        if (TERMINAL.has(next.status)) return;
      } catch (e) {
        if (!live) return;
        setError(messageOf(e));
      }
      timer = setTimeout(tick, 1000);
    };
    /** True when the stream delivered the run's end; otherwise polling takes over. */
    const follow = async (): Promise<boolean> => {
      const parser = new EventStreamParser();
      try {
        for await (const text of streamText(`${path}/events`, stop.signal)) {
          for (const event of parser.push(text)) {
            if (!live) return true;
            if (event.event === 'execution' || event.event === 'end') show(JSON.parse(event.data) as Execution);
            if (event.event === 'end') return true;
          }
        }
      } catch {
        // An older API without the route, a proxy that buffers, a dropped connection: poll instead.
      }
      return false;
    };
    void follow().then((ended) => {
      if (live && !ended) void tick();
    });
    return () => {
      live = false;
      stop.abort();
      clearTimeout(timer);
    };
  }, [path, poll]);
  const control = (verb: string) => action.run(`${verb[0]!.toUpperCase()}${verb.slice(1)}`, () => api('POST', `${path}/${verb}`, {}), () => setPoll((p) => p + 1));
  const retry = () =>
    action.run('Retry failures', async () => {
      const answer = await api<{ executionId?: string }>('POST', `${path}/retry`, {});
      if (answer.executionId) location.hash = `#/executions/${encodeURIComponent(answer.executionId)}`;
    });
  return (
    <section aria-labelledby="execution-title">
      <h1 id="execution-title">Execution {id}</h1>
      <p><a href="#/executions">All executions</a></p>
      <Notice error={error} status={action.status} />
      {run ? (
        <>
          <ProgressBar percent={run.percent} label="Run progress" />
          <dl class="facts">
            <dt>Status</dt><dd data-testid="status">{run.status}{run.pauseReason ? ` (${run.pauseReason})` : ''}</dd>
            <dt>Phase</dt><dd>{run.phase}</dd>
            <dt>Time left</dt><dd>{run.etaMs === null ? 'unknown' : `${Math.round(run.etaMs / 1000)} s${run.eta ? ` (done about ${new Date(run.eta).toLocaleTimeString()})` : ''}`}</dd>
            <dt>Task</dt><dd>{run.taskId} ({run.mode}{run.dryRun ? ', dry run' : ''})</dd>
            <dt>Started</dt><dd>{run.startedAt ? new Date(run.startedAt).toLocaleString() : 'not yet'}</dd>
            <dt>Duration</dt><dd>{run.durationMs == null ? '—' : `${(run.durationMs / 1000).toFixed(1)} s`}</dd>
          </dl>
          <div class="actions">
            {!TERMINAL.has(run.status) && run.status !== 'paused' ? <button type="button" disabled={action.busy} onClick={() => control('pause')}>Pause</button> : null}
            {run.status === 'paused' && run.pauseReason === 'confirmation' ? <button type="button" disabled={action.busy} onClick={() => control('confirm')}>Confirm the bulk change</button> : null}
            {run.status === 'paused' ? <button type="button" disabled={action.busy} onClick={() => control('resume')}>Resume</button> : null}
            {!TERMINAL.has(run.status) ? <button type="button" disabled={action.busy} onClick={() => control('cancel')}>Cancel</button> : null}
            {TERMINAL.has(run.status) && run.counts.failed > 0 ? <button type="button" disabled={action.busy} onClick={retry}>Retry its failures</button> : null}
          </div>
          <StreamTable run={run} />
          <ThroughputChart samples={samples} />
          <h2>Last errors</h2>
          {run.lastErrors.length === 0 ? <p>None.</p> : (
            <ul>
              {run.lastErrors.map((e, i) => (
                <li key={i}><strong>{e.errorClass}</strong> at {e.stage}{e.stream ? ` (${e.stream}${e.externalId ? ` ${e.externalId}` : ''})` : ''}: {e.message}</li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
