import { useState } from 'preact/hooks';
import { api, tenantPath } from '../api.js';
import type { Conflict } from '../types.js';
import type { useAction } from '../useApi.js';

const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value, null, 2));

/**
 * One conflict side by side: the value both sides last agreed on, ours (the shard) and theirs
 * (the provider), with accept ours, accept theirs, or a custom value typed as JSON.
 */
export function ConflictDiff({ conflict, action, onResolved }: { conflict: Conflict; action: ReturnType<typeof useAction>; onResolved: () => void }) {
  const [custom, setCustom] = useState(show(conflict.local));
  const resolve = (label: string, body: Record<string, unknown>) =>
    action.run(label, () => api('POST', tenantPath(`conflicts/${encodeURIComponent(conflict.id)}/resolve`), body), onResolved);
  const submitCustom = (event: Event) => {
    event.preventDefault();
    let value: unknown;
    try {
      value = JSON.parse(custom);
    } catch {
      // A bare word is meant as a string: operators should not have to type quotes.
      value = custom;
    }
    void resolve(`Custom value for ${conflict.path ?? conflict.id}`, { action: 'custom', value });
  };
  const headingId = `conflict-${conflict.id}`;
  return (
    <article class="conflict" aria-labelledby={headingId} data-conflict={conflict.id}>
      <h2 id={headingId}>
        {conflict.shardType} {conflict.externalId} ({conflict.connectionId}/{conflict.stream}){conflict.path ? `: ${conflict.path}` : ''}
      </h2>
      {conflict.message ? <p>{conflict.type}: {conflict.message}</p> : null}
      {conflict.type === 'DataMismatch' || conflict.path ? (
        <div class="diff">
          <div><h3>Base</h3><pre>{show(conflict.base)}</pre></div>
          <div><h3>Ours</h3><pre>{show(conflict.local)}</pre></div>
          <div><h3>Theirs</h3><pre>{show(conflict.remote)}</pre></div>
        </div>
      ) : null}
      <div class="actions">
        <button type="button" disabled={action.busy} onClick={() => resolve('Accept ours', { action: 'accept_local' })}>Accept ours</button>
        <button type="button" disabled={action.busy} onClick={() => resolve('Accept theirs', { action: 'accept_remote' })}>Accept theirs</button>
      </div>
      <form class="filters" onSubmit={submitCustom}>
        <label>
          Custom value (JSON or text)
          <input value={custom} onInput={(e) => setCustom(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.busy}>Use custom value</button>
      </form>
    </article>
  );
}
