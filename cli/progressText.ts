/** What the progress display needs of an execution view. */
export interface RunProgress {
  id: string;
  status: string;
  percent: number | null;
  etaMs: number | null;
  counts: Record<string, number>;
}

/** Pure: 83 000 ms → `1m23s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/** Pure: the counts worth a glance while a run goes (the rest are in the final table). */
export function countsSummary(counts: Record<string, number>): string {
  return ['fetched', 'created', 'updated', 'unchanged', 'failed'].map((name) => `${name} ${counts[name] ?? 0}`).join(' · ');
}

/** Pure: one line of progress, for output that is not a terminal (logs, pipes, tests). */
export function progressLine(run: RunProgress): string {
  const percent = run.percent === null ? '  -%' : `${String(Math.round(run.percent)).padStart(3)}%`;
  const eta = run.etaMs === null ? '' : `  ETA ${formatDuration(run.etaMs)}`;
  return `${run.status.padEnd(9)} ${percent}${eta}  ${countsSummary(run.counts)}`;
}
