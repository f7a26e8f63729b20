import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../jsonDepth.js';
import type { TransformResult } from './result.js';

/**
 * Pure: the failed conversion a record nested deeper than MAX_JSON_DEPTH counts as, naming where;
 * undefined when it fits. Such a record is not converted, hashed or stored: the recursive code
 * behind those (and every later read of the shard) would overflow the stack on it.
 */
export function recordTooDeep(record: unknown): TransformResult | undefined {
  const marked = record !== null && typeof record === 'object' ? (record as Record<string, unknown>)[TOO_DEEP] : undefined;
  const path = typeof marked === 'string' ? marked : jsonDepthExceeds(record, MAX_JSON_DEPTH);
  if (path === undefined) return undefined;
  return { ok: false, issues: [{ sourcePath: path, targetPath: '', rule: 'depth', message: `the record is nested deeper than ${MAX_JSON_DEPTH} levels` }] };
}

/** Pure: the result, or a failed conversion when the data of one of its shards nests deeper than MAX_JSON_DEPTH. */
export function depthChecked(result: TransformResult): TransformResult {
  if (!result.ok) return result;
  for (const shard of [result.primary, ...result.derived]) {
    const path = jsonDepthExceeds(shard.data, MAX_JSON_DEPTH);
    if (path !== undefined) {
      return { ok: false, issues: [{ sourcePath: '', targetPath: path, rule: 'depth', message: `the ${shard.shardType} data is nested deeper than ${MAX_JSON_DEPTH} levels` }] };
    }
  }
  return result;
}

/** Where a record too deep to keep said so, once it was cut down to its id. */
const TOO_DEEP = '__shardsync_too_deep__';

/**
 * Pure: the record as a page may carry it — itself, or, when it nests deeper than MAX_JSON_DEPTH,
 * only its id and where it was too deep, so that parking and publishing the page (which serialise
 * it recursively) cannot overflow the stack, and the batch still counts it as a failure.
 */
export function keepableRecord(record: Record<string, unknown>, idField: string): Record<string, unknown> {
  const path = jsonDepthExceeds(record, MAX_JSON_DEPTH);
  return path === undefined ? record : { [idField]: record[idField], [TOO_DEEP]: path };
}
