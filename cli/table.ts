import Table from 'cli-table3';

/** Pure: a value as a table cell: `-` for nothing, JSON for objects, long text cut. */
export function cell(value: unknown, max = 60): string {
  if (value === undefined || value === null || value === '') return '-';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Pure: rows under a header as a text table; `(none)` for no rows. */
export function renderTable(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '(none)';
  // No colours: the output is often piped or captured, and must read the same there.
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((value) => cell(value)));
  return table.toString();
}
