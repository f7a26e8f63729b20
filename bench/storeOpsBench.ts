import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Figure } from './benchReport.js';
import { classifyCosmosRequest, classifySqlStatement, type DocumentOperation } from './documentOperations.js';

/** Small enough for the in-memory Cosmos server (it slows down quadratically), large enough to amortise bookkeeping. */
const RECORDS = 2000;
/** Slow polling keeps the watcher's own reads (execution + failures) out of the figures as far as possible. */
const POLL_MS = 250;

/**
 * Document reads and writes per synced record, counted where the documents live — statements the
 * SQLite database executes, requests the Cosmos DB server receives — for a first sync (every
 * record new) and an unchanged re-sync, on each store adapter.
 */
export async function storeOpsBench(): Promise<Figure[]> {
  const { observeStatements } = await import('../shared/adapters/embedded/sqliteDatabase.js');
  const { startDemo } = await import('../dev/demoRun.js');
  const figures: Figure[] = [];
  for (const adapter of ['embedded', 'cosmos'] as const) {
    const dataDir = mkdtempSync(join(tmpdir(), 'shardsync-store-ops-'));
    process.env.SHARDSYNC_DATA_DIR = dataDir;
    process.env.SHARDSYNC_PORT = '0';
    const counts = { read: 0, write: 0 };
    const count = (operation: DocumentOperation | undefined) => {
      if (operation) counts[operation.kind] += operation.documents;
    };
    // Registered before the demo opens its database, so the database reports its statements.
    const stopSql = observeStatements((sql) => count(classifySqlStatement(sql)));
    const demo = await startDemo({ records: RECORDS, store: adapter });
    const stopCosmos = demo.servers.cosmos?.observe((request) => count(classifyCosmosRequest(request)));
    try {
      for (const [run, expected] of [['new', 'created'], ['unchanged', 'unchanged']] as const) {
        counts.read = 0;
        counts.write = 0;
        const outcome = await demo.sync({ pollMs: POLL_MS });
        if (outcome.status !== 'success' || outcome.counts[expected] !== RECORDS) {
          throw new Error(`store-ops ${adapter} ${run} run ended ${outcome.status} with ${JSON.stringify(outcome.counts)}`);
        }
        const target = run === 'new' ? '<= 2' : '<= 0.05';
        figures.push(
          { bench: 'store-ops', metric: `writes_per_${run}_record_${adapter}`, value: round(counts.write / RECORDS), unit: 'writes/record', target },
          { bench: 'store-ops', metric: `reads_per_${run}_record_${adapter}`, value: round(counts.read / RECORDS), unit: 'reads/record' },
        );
      }
    } finally {
      stopCosmos?.();
      stopSql();
      await demo.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  return figures;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
