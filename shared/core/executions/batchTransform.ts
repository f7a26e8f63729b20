import { readPath } from '../schemas/fieldPath.js';
import type { CompiledSchema } from '../conversion/compileSchema.js';
import { depthChecked, recordTooDeep } from '../conversion/depthLimit.js';
import type { ParentRef } from '../conversion/relationships.js';
import type { Failure } from '../schemas/failure.js';
import { recordHash, type IncomingRecord } from './shardWritePlan.js';

/** One reason a record did not convert: the source path, the target it feeds, the rule that failed. */
export type FailureDetail = NonNullable<Failure['details']>[number];

/** A record of the page that did not convert. */
export interface RejectedRecord {
  /** Its position in the page: what names it when it has no id. */
  index: number;
  externalId?: string;
  details: FailureDetail[];
}

export interface BatchTransform {
  /** The records that converted, in page order, as the shard writer takes them. */
  converted: IncomingRecord[];
  /** The others, in page order. */
  rejected: RejectedRecord[];
}

/** A stream's schema, compiled: the transform and the record's parents. */
export interface BatchConversion {
  transform: CompiledSchema;
  parentsOf: (record: unknown) => ParentRef[];
}

/** Where the page comes from, and the fields its provider keeps a record's id and modified time in. */
export interface BatchSource {
  connectionId: string;
  stream: string;
  idField: string;
  modifiedField: string;
  /** The stream's concurrency-token field, where it has one (StreamInfo.versionField). */
  versionField?: string;
  /** The records came with webhook deliveries, not from a read: one older than what a shard holds is stale. */
  delivered?: boolean;
}

/**
 * Pure: each record of a page converted by its stream's schema, or rejected with every field that
 * failed. A record without an id is rejected whatever its conversion gave, as nothing could name
 * its shard. Async only because an expression step is: a schema without one pays no promise per record.
 */
export async function transformBatch(records: readonly Record<string, unknown>[], conversion: BatchConversion, source: BatchSource): Promise<BatchTransform> {
  const { transform, parentsOf } = conversion;
  const batch: BatchTransform = { converted: [], rejected: [] };
  for (const [index, record] of records.entries()) {
    const rawId = record[source.idField];
    const externalId = rawId === undefined || rawId === null || rawId === '' ? undefined : String(rawId);
    const result = recordTooDeep(record) ?? depthChecked(transform.async ? await transform.run(record) : transform.run(record));
    if (externalId !== undefined && result.ok) {
      const { shardType, data } = result.primary;
      const converted = { shardType, data, derived: result.derived, parents: parentsOf(record) };
      const modified = readPath(record, source.modifiedField);
      const version = source.versionField === undefined ? undefined : readPath(record, source.versionField);
      batch.converted.push({
        connectionId: source.connectionId,
        stream: source.stream,
        externalId,
        ...converted,
        hash: recordHash(converted),
        ...(typeof modified === 'string' ? { remoteModifiedAt: modified } : {}),
        ...(typeof version === 'string' || typeof version === 'number' ? { remoteVersion: String(version) } : {}),
        ...(source.delivered ? { delivered: true } : {}),
      });
      continue;
    }
    const details: FailureDetail[] = result.ok
      ? []
      : result.issues.map((issue) => ({ path: issue.sourcePath || issue.targetPath, target: issue.targetPath, rule: issue.rule, message: issue.message }));
    if (externalId === undefined) details.unshift({ path: source.idField, message: 'the record has no id' });
    batch.rejected.push({ index, ...(externalId === undefined ? {} : { externalId }), details });
  }
  return batch;
}
