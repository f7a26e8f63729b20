/**
 * The change feed's cursor: where the last entry handed out sits — the key of its document and
 * its index there — wrapped so callers treat it as opaque (base64url of `{"v":1,"k":…,"i":…}`).
 * The version lets the format change later without old cursors being misread: an unknown
 * version is refused, not guessed at.
 */
const CURSOR_VERSION = 1;
/** Longer than any key (an ISO time and a document id), short enough to refuse junk early. */
const MAX_CURSOR_LENGTH = 512;

export interface ChangePosition {
  /** The document's ordering key; '' before the first. */
  key: string;
  /** The entry's index in that document; -1: none of it read yet. */
  index: number;
}

/** Before every entry: a feed read from the start. */
export const FEED_START: ChangePosition = { key: '', index: -1 };

export function encodeChangeCursor(position: ChangePosition): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, k: position.key, i: position.index }), 'utf8').toString('base64url');
}

/** The position a cursor holds, or undefined when it is not one of ours (malformed, tampered with, another version). */
export function decodeChangeCursor(cursor: string): ChangePosition | undefined {
  if (cursor.length === 0 || cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { v, k, i } = parsed as { v?: unknown; k?: unknown; i?: unknown };
  if (v !== CURSOR_VERSION || typeof k !== 'string' || typeof i !== 'number' || !Number.isInteger(i) || i < -1) return undefined;
  const position = { key: k, index: i };
  // Re-encoding must give the cursor back: rejects padding tricks and extra fields.
  return encodeChangeCursor(position) === cursor ? position : undefined;
}
