/** One measured figure; printed as a table row and as one JSON line. */
export interface Figure {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** What the figure should reach, for the table only. */
  target?: string;
}

export function report(figures: Figure[]): void {
  console.table(figures.map(({ bench, metric, value, unit, target }) => ({ bench, metric, value, unit, target: target ?? '' })));
  for (const { bench, metric, value, unit } of figures) console.log(JSON.stringify({ bench, metric, value, unit }));
}
