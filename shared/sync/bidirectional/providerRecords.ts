import type { ConversionSchema } from '../../core/schemas/conversionSchema.js';
import type { SourceRecord } from '../../connectors/connector.js';
import { snapshotOf, type Snapshot } from '../../core/conflicts/snapshot.js';
import { recordHash } from '../../core/executions/shardWritePlan.js';
import { compileConversion } from '../resources/compileConversion.js';
import type { SyncDeps } from '../syncDeps.js';

/**
 * A provider's record (a write's answer, or its current state) in shard form, with the hash an
 * inbound sync of the same record will compute: keeping it on the external relationship is what
 * makes the echo of our own write read as unchanged.
 */
export async function convertProviderRecord(deps: SyncDeps, schema: ConversionSchema, record: SourceRecord, what: string): Promise<{ remote: Snapshot; hash: string }> {
  const { transform, parentsOf } = compileConversion(deps, schema);
  const converted = transform.async ? await transform.run(record) : transform.run(record);
  if (!converted.ok) throw new Error(`the provider's record of ${what} no longer converts: ${converted.issues.map((i) => i.message).join('; ')}`);
  const remote = snapshotOf(converted.primary.data);
  return { remote, hash: recordHash({ shardType: converted.primary.shardType, data: remote.data, derived: converted.derived, parents: parentsOf(record) }) };
}
