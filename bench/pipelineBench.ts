import { generateRecord, type DataContext } from '../dev/fakes/fakeWooCommerceData.js';
import { DEMO_SCHEMAS } from '../dev/demoSetup.js';
import { compileSchema } from '../shared/core/conversion/compileSchema.js';
import { contentHash } from '../shared/core/contentHash.js';
import { decideRecordOutcome, type ExistingShardState } from '../shared/core/executions/recordOutcome.js';
import type { Figure } from './benchReport.js';

const RECORDS = 10_000;
const ROUNDS = 5;

/**
 * The per-record CPU work of a batch on already-parsed records: transform, de-duplication
 * decision against the existing shard's state, content hash. Best of several rounds.
 */
export async function pipelineBench(): Promise<Figure[]> {
  const context: DataContext = { seed: 42, counts: { customers: RECORDS, products: 1000, orders: 0 }, storeUrl: 'http://store.test', timezoneOffsetMinutes: 60 };
  const records = Array.from({ length: RECORDS }, (_, i) => generateRecord(context, 'customers', i + 1));
  const schema = DEMO_SCHEMAS.customers;
  const compiled = compileSchema(schema);
  if (compiled.async) throw new Error('the demo customers schema should need no expression');
  const transform = (record: Record<string, unknown>) => {
    const result = compiled.run(record);
    return result.ok ? { ok: true as const, data: result.primary.data } : result;
  };
  // Half the records already exist with the same content, as in a typical incremental re-run.
  const existing = new Map<string, ExistingShardState>();
  for (const record of records.slice(0, RECORDS / 2)) {
    const result = transform(record);
    if (result.ok) existing.set(String(record.id), { hash: contentHash({ shardType: schema.shardType, data: result.data }), createdByBatch: 'old', updatedByBatch: 'old' });
  }

  let best = Infinity;
  const outcomes = { created: 0, updated: 0, unchanged: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (const record of records) {
      const result = transform(record);
      if (!result.ok) continue;
      const hash = contentHash({ shardType: schema.shardType, data: result.data });
      outcomes[decideRecordOutcome(existing.get(String(record.id)), hash, 'bench')] += 1;
    }
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / RECORDS);
  }
  if (outcomes.unchanged !== (RECORDS / 2) * ROUNDS || outcomes.created !== (RECORDS / 2) * ROUNDS) {
    throw new Error(`pipeline bench decided wrongly: ${JSON.stringify(outcomes)}`);
  }
  return [{ bench: 'pipeline', metric: 'us_per_record', value: Math.round(best * 100) / 100, unit: 'us', target: '<= 10' }];
}
