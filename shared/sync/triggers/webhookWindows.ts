import type { Stored } from '../../ports/store.js';
import { isLostRace } from '../../ports/lostRace.js';
import { ids } from '../../core/ids.js';
import { decideWindow } from '../../core/triggers/webhookCoalescing.js';
import type { WebhookWindowDoc } from '../../core/schemas/coordination/webhookWindow.js';
import type { SyncDeps } from '../syncDeps.js';

/** A day: far longer than any window (≤ 5 min), short enough that idle connections leave nothing behind. */
const WINDOW_TTL_SECONDS = 24 * 3600;

export interface OpenWindow {
  windowId: string;
  closesAtMs: number;
}


const readWindow = (deps: SyncDeps, tenantId: string, connectionId: string): Promise<Stored<WebhookWindowDoc> | undefined> =>
  deps.store.read<WebhookWindowDoc>('coordination', tenantId, ids.webhookWindow(connectionId));

/**
 * The window a delivery arriving now belongs to: the open one, or a new one closing `windowMs`
 * from now. Concurrent openers race on the document's ETag; the losers join the winner's window.
 */
export async function joinOrOpenWindow(deps: SyncDeps, tenantId: string, connectionId: string, windowMs: number): Promise<OpenWindow> {
  for (;;) {
    const current = await readWindow(deps, tenantId, connectionId);
    const decision = decideWindow(current, deps.clock.now().getTime(), windowMs);
    if (decision.kind === 'join') return decision;
    const doc: WebhookWindowDoc = {
      id: ids.webhookWindow(connectionId),
      tenantId,
      kind: 'webhook_window',
      connectionId,
      windowId: ids.newWebhookWindow(),
      closesAtMs: decision.closesAtMs,
      ttl: WINDOW_TTL_SECONDS,
    };
    try {
      if (current) await deps.store.replace('coordination', doc, { ifMatch: current._etag });
      else await deps.store.create('coordination', doc);
      return { windowId: doc.windowId, closesAtMs: doc.closesAtMs };
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
}

/**
 * True while the flush of `windowId` has not closed it. The flush closes a window before it reads
 * the window's deliveries, so a delivery written while this is still true is read by that flush.
 */
export async function isWindowOpen(deps: SyncDeps, tenantId: string, connectionId: string, windowId: string): Promise<boolean> {
  const current = await readWindow(deps, tenantId, connectionId);
  return current?.windowId === windowId && !current.closed;
}

/** Marks `windowId` closed (if it is still the connection's window); deliveries after this open a new one. Idempotent. */
export async function closeWindow(deps: SyncDeps, tenantId: string, connectionId: string, windowId: string): Promise<void> {
  for (;;) {
    const current = await readWindow(deps, tenantId, connectionId);
    if (current?.windowId !== windowId || current.closed) return;
    const { _etag, _ts: _ignored, ...doc } = current;
    try {
      await deps.store.replace('coordination', { ...doc, closed: true }, { ifMatch: _etag });
      return;
    } catch (error) {
      if (!isLostRace(error)) throw error;
    }
  }
}
