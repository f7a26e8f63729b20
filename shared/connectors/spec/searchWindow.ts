import type { SourceRecord } from '../connector.js';
import { readPath } from '../../core/schemas/fieldPath.js';
import { parseProviderTime } from '../../core/executions/incrementalCursor.js';

/**
 * Where a read of a search with a result ceiling stands: the window's anchor (records modified at
 * or after it, epoch ms; absent for the first window, which starts where the read does), the
 * paginator's own token within the window, and how many results the window has served.
 */
export interface SearchWindow {
  anchorMs?: number;
  inner?: string;
  served: number;
}

/** The chained `next` token of a windowed stream: the window, as JSON. */
export function encodeWindow(window: SearchWindow): string {
  return JSON.stringify({ a: window.anchorMs ?? null, n: window.inner ?? null, s: window.served });
}

/** The window a `next` token names; the start of the read when there is none. An unreadable token is refused (it was not made here). */
export function decodeWindow(next: string | undefined): SearchWindow | undefined {
  if (next === undefined) return { served: 0 };
  let json: unknown;
  try {
    json = JSON.parse(next);
  } catch {
    return undefined;
  }
  const { a, n, s } = (json ?? {}) as { a?: unknown; n?: unknown; s?: unknown };
  if ((a !== null && typeof a !== 'number') || (n !== null && typeof n !== 'string') || typeof s !== 'number') return undefined;
  return { ...(a !== null ? { anchorMs: a } : {}), ...(n !== null ? { inner: n } : {}), served: s };
}

export type WindowStep = { kind: 'next'; next?: string } | { kind: 'stuck'; problem: string };

/**
 * Pure: what follows a page of a window. The paginator's next page while the window can serve
 * another page under the ceiling; else a new window anchored at the latest modified time read
 * (records at that instant are read again: harmless, they are unchanged); nothing after the last
 * page. A window that cannot move on (more records than the ceiling share one modified time) is
 * stuck rather than read forever.
 */
export function stepWindow(
  window: SearchWindow,
  page: { records: readonly SourceRecord[]; next?: string },
  options: { ceiling: number; perPage: number; modifiedField: string },
): WindowStep {
  if (page.next === undefined) return { kind: 'next' };
  const served = window.served + page.records.length;
  if (served + options.perPage <= options.ceiling) return { kind: 'next', next: encodeWindow({ ...(window.anchorMs !== undefined ? { anchorMs: window.anchorMs } : {}), inner: page.next, served }) };
  const latest = Math.max(...page.records.map((record) => modifiedMs(readPath(record, options.modifiedField))));
  if (!Number.isFinite(latest) || (window.anchorMs !== undefined && latest <= window.anchorMs)) {
    return { kind: 'stuck', problem: `more than ${options.ceiling} results share one modified time, or the list is not sorted by ${options.modifiedField}: the search cannot go past its ceiling` };
  }
  return { kind: 'next', next: encodeWindow({ anchorMs: latest, served: 0 }) };
}

function modifiedMs(value: unknown): number {
  return typeof value === 'number' ? value : (parseProviderTime(value) ?? Number.NaN);
}
