/**
 * `echo`: the record holds exactly the last state both sides were brought to — our own write
 * coming back, or a change already applied — so nothing is to be written or queued. `changed`:
 * the record moved on since then and goes through detection. No synced state yet (a record never
 * synced both ways) counts as changed.
 *
 * The same check guards both directions: an inbound record against the base before detection,
 * and a local change against the base before a write-back is queued, so applying an inbound
 * change locally does not send it back out.
 */
export type EchoVerdict = 'echo' | 'changed';

export function checkEcho(recordHash: string, synced: { hash: string } | undefined): EchoVerdict {
  return synced !== undefined && synced.hash === recordHash ? 'echo' : 'changed';
}
