import type { Shard } from '../types.js';

/** Which records joined a merged shard, with their match score and matched fields, each with unmerge. */
export function MergeTable({ shard, busy, onUnmerge }: { shard: Shard; busy: boolean; onUnmerge: (source: string) => void }) {
  const merges = shard.merges ?? [];
  if (merges.length === 0) return <p>No record was merged into this shard.</p>;
  return (
    <table>
      <caption>Records merged into this shard</caption>
      <thead><tr><th scope="col">Record</th><th scope="col">Score</th><th scope="col">Matched fields</th><th scope="col">Merged</th><th scope="col">Action</th></tr></thead>
      <tbody>
        {merges.map((m) => (
          <tr key={m.source} data-source={m.source}>
            <td>{m.source}</td>
            <td>{m.score.toFixed(3)}</td>
            <td>{m.matched.map((f) => `${f.field} (${f.kind}, ${f.similarity.toFixed(2)})`).join('; ')}</td>
            <td>{new Date(m.mergedAt).toLocaleString()}</td>
            <td><button type="button" disabled={busy} onClick={() => onUnmerge(m.source)}>Unmerge {m.source}</button></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
