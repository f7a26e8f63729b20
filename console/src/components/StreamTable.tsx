import { COUNT_NAMES, type Execution } from '../types.js';

/** Counts in total and per stream, with how each stream is read and its pages. */
export function StreamTable({ run }: { run: Execution }) {
  return (
    <table>
      <caption>Counts per stream</caption>
      <thead>
        <tr><th scope="col">Stream</th><th scope="col">Read</th><th scope="col">Pages</th>{COUNT_NAMES.map((n) => <th scope="col" key={n}>{n}</th>)}</tr>
      </thead>
      <tbody>
        {Object.entries(run.streams).map(([name, s]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{s.read ? `${s.read.kind}${s.read.reason ? ` (${s.read.reason})` : ''}` : '—'}</td>
            <td>{s.pagesDone}{s.pagesTotal === null ? '' : ` / ${s.pagesTotal}`}</td>
            {COUNT_NAMES.map((n) => <td key={n}>{s.counts[n]}</td>)}
          </tr>
        ))}
        <tr>
          <th scope="row">total</th><td /><td />
          {COUNT_NAMES.map((n) => <td key={n} data-count={n}>{run.counts[n]}</td>)}
        </tr>
      </tbody>
    </table>
  );
}
