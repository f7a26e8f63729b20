import type { ShardChangeBatch, ShardChangeFact } from './shardChange.js';
import type { ChangePosition } from './changeCursor.js';

export interface PositionedChange {
  position: ChangePosition;
  at: string;
  change: ShardChangeFact;
}

/**
 * The entries after `after`, oldest first, at most `limit`: the documents' entries in key order,
 * each in its document's order, skipping what the position says was already handed out (a
 * document can be left part-way when a page fills up). `documents` must be in key order and start
 * no earlier than `after.key`.
 */
export function changesAfter(documents: ReadonlyArray<Pick<ShardChangeBatch, 'key' | 'at' | 'changes'>>, after: ChangePosition, limit: number): PositionedChange[] {
  const page: PositionedChange[] = [];
  for (const document of documents) {
    if (document.key < after.key) continue;
    const first = document.key === after.key ? after.index + 1 : 0;
    for (let index = first; index < document.changes.length; index++) {
      if (page.length === limit) return page;
      page.push({ position: { key: document.key, index }, at: document.at, change: document.changes[index]! });
    }
  }
  return page;
}
