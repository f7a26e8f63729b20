/** One line of progress for a terminal: bar, percent, processed/total, phase and ETA. */
export function progressLine(view: { percent: number; phase: string; counts: Record<string, number>; total: number | null; etaMs: number | null }, width = 30): string {
  const filled = Math.round((view.percent / 100) * width);
  const processed = ['created', 'updated', 'unchanged', 'merged', 'skipped', 'failed'].reduce((sum, name) => sum + (view.counts[name] ?? 0), 0);
  const eta = view.etaMs === null ? '' : ` ETA ${(view.etaMs / 1000).toFixed(1)}s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${view.percent.toFixed(1).padStart(5)}% ${processed}/${view.total ?? '?'} ${view.phase}${eta}   `;
}
